"""Students and courses with enrollment history (an association, or events) are kept, as the API keeps them
(``services.delete_student``): the admin's delete page says so, for one object or a selection, instead of listing
protected associations or asking for a permission to delete history that nobody has."""

from students.enrollment.errors import HasEnrollmentHistory
from students.models import EnrollmentEvent, StudentCourse


class KeptWithHistory:
    history_field: str  # "student" or "course": how associations and events name the object

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        ids, column = {obj.pk for obj in objs}, f"{self.history_field}_id"
        with_history = set()
        for model in (StudentCourse, EnrollmentEvent):
            found = model.objects.filter(**{f"{column}__in": ids}).values_list(column, flat=True).distinct()
            with_history |= set(found)
        if with_history:
            reason = HasEnrollmentHistory().detail
            protected = [f"{obj}: {reason}" for obj in objs if obj.pk in with_history]
            perms_needed = set()  # not a matter of permission: nobody deletes history
        return deleted, counts, perms_needed, protected
