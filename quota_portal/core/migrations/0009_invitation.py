"""Invitation moves from the applications app to core, where its services, forms and views are.

Only the state moves: the rows stay in the tables they were created in (`applications_invitation`
and its history `applications_invitationevent`, named so by `db_table`). pgtrigger names a
trigger after its model's app, so the history's three triggers are installed again under core's
names here; applications/0005 (which runs just before this one) dropped the old ones. The content
types follow, so that permissions granted on invitations stay granted.
"""
import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models

MODELS = ("invitation", "invitationevent")


def move_content_types(apps, schema_editor, source="applications", target="core"):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not content_type.objects.filter(app_label=target, model=model).exists():
            content_type.objects.filter(app_label=source, model=model).update(app_label=target)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="core", target="applications")


class Migration(migrations.Migration):

    # No dependency on the applications app: applications/0005 declares `run_before` this one.
    dependencies = [
        ("core", "0008_akimat_proper_names"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("pghistory", "0007_auto_20250421_0444"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables exist (applications/0003); only Django's view of them moves.
            state_operations=[
                migrations.CreateModel(
                    name='Invitation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('email', models.EmailField(max_length=254, verbose_name='email')),
                        ('role', models.CharField(choices=[('employer_editor', 'Editor: may change applications'), ('employer_viewer', 'Viewer: may only read')], max_length=30, verbose_name='role')),
                        ('token', models.CharField(max_length=64, unique=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('expires_at', models.DateTimeField()),
                        ('accepted_at', models.DateTimeField(blank=True, null=True)),
                        ('revoked_at', models.DateTimeField(blank=True, null=True)),
                        ('accepted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('invited_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='core.organization')),
                    ],
                    options={
                        'verbose_name': 'invitation',
                        'verbose_name_plural': 'invitations',
                        'db_table': 'applications_invitation',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='InvitationEvent',
                    fields=[
                        ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                        ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                        ('pgh_label', models.TextField(help_text='The event label.')),
                        ('id', models.BigIntegerField()),
                        ('email', models.EmailField(max_length=254, verbose_name='email')),
                        ('role', models.CharField(choices=[('employer_editor', 'Editor: may change applications'), ('employer_viewer', 'Viewer: may only read')], max_length=30, verbose_name='role')),
                        ('token', models.CharField(max_length=64)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('expires_at', models.DateTimeField()),
                        ('accepted_at', models.DateTimeField(blank=True, null=True)),
                        ('revoked_at', models.DateTimeField(blank=True, null=True)),
                        ('accepted_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL)),
                        ('invited_by', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL)),
                        ('organization', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='core.organization')),
                        ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                        ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='core.invitation')),
                    ],
                    options={
                        'db_table': 'applications_invitationevent',
                        'abstract': False,
                    },
                ),
            ],
            database_operations=[],
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='invitation',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "applications_invitationevent" ("accepted_at", "accepted_by_id", "created_at", "email", "expires_at", "id", "invited_by_id", "organization_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "revoked_at", "role", "token") VALUES (NEW."accepted_at", NEW."accepted_by_id", NEW."created_at", NEW."email", NEW."expires_at", NEW."id", NEW."invited_by_id", NEW."organization_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."revoked_at", NEW."role", NEW."token"); RETURN NULL;', hash='a253a1d388e4c90498cdd06e0a475481b03c24c9', operation='INSERT', pgid='pgtrigger_insert_insert_2d88f', table='applications_invitation', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='invitation',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "applications_invitationevent" ("accepted_at", "accepted_by_id", "created_at", "email", "expires_at", "id", "invited_by_id", "organization_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "revoked_at", "role", "token") VALUES (NEW."accepted_at", NEW."accepted_by_id", NEW."created_at", NEW."email", NEW."expires_at", NEW."id", NEW."invited_by_id", NEW."organization_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."revoked_at", NEW."role", NEW."token"); RETURN NULL;', hash='caed7ff96ea0959e098a6f40cda90848522489e5', operation='UPDATE', pgid='pgtrigger_update_update_04d90', table='applications_invitation', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='invitation',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "applications_invitationevent" ("accepted_at", "accepted_by_id", "created_at", "email", "expires_at", "id", "invited_by_id", "organization_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "revoked_at", "role", "token") VALUES (OLD."accepted_at", OLD."accepted_by_id", OLD."created_at", OLD."email", OLD."expires_at", OLD."id", OLD."invited_by_id", OLD."organization_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."revoked_at", OLD."role", OLD."token"); RETURN NULL;', hash='dcd5a61b9c065cdea77463fc7e1d73218783e747', operation='DELETE', pgid='pgtrigger_delete_delete_b8970', table='applications_invitation', when='AFTER')),
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
