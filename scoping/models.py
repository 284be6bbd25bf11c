"""Which schools an account's records are: its memberships of orgs (a school, or an org above schools)."""

from django.conf import settings
from django.db import models

from schools.models import Org


class Membership(models.Model):
    """An account sees the records of the org's schools: a school's, or every school below a district (or another
    org above schools); with no org, the whole district's. A superuser sees the whole district; an account with no
    membership sees nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    org = models.ForeignKey(
        Org,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
        help_text="A school, or an org above schools; empty: the whole district.",
    )

    class Meta:
        db_table = "memberships"
        ordering = ["user", "org"]
        constraints = [
            models.UniqueConstraint(fields=["user", "org"], name="memberships_user_org_uniq"),
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(org__isnull=True), name="memberships_one_district_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.org or 'the whole district'}"
