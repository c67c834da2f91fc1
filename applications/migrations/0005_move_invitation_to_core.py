"""Invitation moves to core (core/0009_invitation), rows and all.

Here the applications app lets go of it: its history triggers, named after this app, are dropped
(core/0009 installs them again under core's names, right after this migration), and the two
models leave this app's state. No table is dropped: `applications_invitation` and
`applications_invitationevent` now belong to core's models under the same names.
"""
import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [("applications", "0004_invitation_token_digests")]
    # core never depends on an app; the app says where its tables' new owner takes over.
    run_before = [("core", "0009_invitation")]

    operations = [
        pgtrigger.migrations.RemoveTrigger(model_name="invitation", name="insert_insert"),
        pgtrigger.migrations.RemoveTrigger(model_name="invitation", name="update_update"),
        pgtrigger.migrations.RemoveTrigger(model_name="invitation", name="delete_delete"),
        # pgtrigger drops a trigger but leaves its function; these three would be called by nothing.
        # (Going back, the RemoveTriggers' reverse creates them again.)
        migrations.RunSQL(
            "DROP FUNCTION IF EXISTS pgtrigger_insert_insert_13d52();"
            " DROP FUNCTION IF EXISTS pgtrigger_update_update_5974e();"
            " DROP FUNCTION IF EXISTS pgtrigger_delete_delete_6a2ab();",
            migrations.RunSQL.noop),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="invitationevent", name="pgh_obj"),
                migrations.DeleteModel(name="InvitationEvent"),
                migrations.DeleteModel(name="Invitation"),
            ],
            database_operations=[],
        ),
    ]
