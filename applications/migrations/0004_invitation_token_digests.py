"""Invitation tokens are stored as SHA-256 digests (quota_portal.core.accounts_services.token_digest).

Pending links keep working: their stored token becomes its digest, which is what the link's
token is now compared with. The audit history's copies are replaced by digests too, so that no
table holds a usable link.
"""
import hashlib
import re

from django.db import migrations

DIGEST = re.compile(r"^[0-9a-f]{64}$")


def digest_tokens(apps, schema_editor):
    for name in ("Invitation", "InvitationEvent"):
        model = apps.get_model("applications", name)
        # A historical model's `objects` is a plain manager (ScopedManager is not used in
        # migrations): every row, whatever the tenant.
        for pk, token in model.objects.values_list("pk", "token"):
            if token and not DIGEST.match(token):
                model.objects.filter(pk=pk).update(token=hashlib.sha256(token.encode()).hexdigest())


class Migration(migrations.Migration):
    dependencies = [("applications", "0003_invitation_invitationevent_registrationcounter_and_more")]
    operations = [migrations.RunPython(digest_tokens, migrations.RunPython.noop)]
