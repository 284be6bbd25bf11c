"""Who may use the enrollment endpoints: Django's model permissions, named per endpoint."""

from config.permissions import ModelPermissions
from courses.models import Course
from students.models import EnrollmentEvent, Student, StudentCourse

COURSE_LIST_PERMS = {
    "GET": ["students.view_studentcourse"],
    "HEAD": ["students.view_studentcourse"],
    "OPTIONS": ["students.view_studentcourse"],
    "POST": ["students.add_studentcourse"],
    "PATCH": ["students.add_studentcourse"],
    "PUT": ["students.add_studentcourse", "students.delete_studentcourse"],
    "DELETE": ["students.delete_studentcourse"],
}


class StudentCoursesPermission(ModelPermissions):
    """A student's courses: reading needs view, enrolling add, setting add and delete, dropping delete (on
    student course associations), and view on the student."""

    model = StudentCourse
    also_view = (Student,)
    perms_map = COURSE_LIST_PERMS


class StudentCoursePermission(StudentCoursesPermission):
    """One of a student's courses: changing its status needs change (on student course associations)."""

    perms_map = {**COURSE_LIST_PERMS, "PATCH": ["students.change_studentcourse"]}


class CourseStudentsPermission(ModelPermissions):
    """A course's students: view on student course associations, on the course and on students."""

    model = StudentCourse
    also_view = (Course, Student)


class StudentHistoryPermission(ModelPermissions):
    """A student's enrollment history: view on enrollment events and on the student."""

    model = EnrollmentEvent
    also_view = (Student,)


class CourseHistoryPermission(ModelPermissions):
    """A course's enrollment history: view on enrollment events and on the course."""

    model = EnrollmentEvent
    also_view = (Course,)
