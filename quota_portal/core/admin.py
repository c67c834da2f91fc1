"""Django admin for staff (runs in the system scope, see TenantMiddleware).

Day-to-day reference data (campaigns, calendar, treaty flags) is edited by the Ministry in the
portal's own pages, which record who changed what; the admin is for support staff.
"""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    Authority,
    CalendarException,
    Campaign,
    Country,
    Heartbeat,
    Membership,
    Occupation,
    Organization,
    Outbox,
    Region,
    User,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organization", "authority"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "language", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "language"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "language"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    inlines = [MembershipInline]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ru", "name_kk", "name_en", "kind"]
    search_fields = ["code", "name_ru", "name_kk", "name_en"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "bin_iin", "kind", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "bin_iin"]


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name_ru", "kind", "region"]
    list_filter = ["kind"]
    search_fields = ["name_ru", "name_kk", "name_en"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["year", "filing_opens", "filing_deadline", "commission_deadline", "distribution_deadline"]


@admin.register(CalendarException)
class CalendarExceptionAdmin(admin.ModelAdmin):
    list_display = ["day", "is_working_day", "reason"]


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ru", "name_kk", "name_en", "is_active", "offered_to_employers"]
    list_editable = ["offered_to_employers"]
    search_fields = ["code", "name_ru", "name_kk", "name_en"]
    list_filter = ["is_active", "offered_to_employers"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["alpha2", "name_ru", "has_ratified_treaty", "treaty_reference"]
    list_filter = ["has_ratified_treaty"]
    search_fields = ["alpha2", "name_ru", "name_kk", "name_en"]


@admin.register(Outbox)
class OutboxAdmin(admin.ModelAdmin):
    list_display = ["event_key", "recipient", "channel", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["channel", "status"]
    search_fields = ["event_key", "recipient__email", "subject"]
    raw_id_fields = ["recipient"]


admin.site.register(Heartbeat)
