"""The feed's guarantee: a consumer following it while many writers commit sees every change once, each object's
changes in commit order, and ends with exactly the database's final state.

Writers hold their transactions open a little after recording (as a slow request would), so that on PostgreSQL
changes often commit in another order than their ids: a feed served by id would skip some of them. On SQLite the
writers are serialized and the same test runs as a check of the same code.
"""

import random
import threading
import time
from collections import Counter

import pytest
from django.db import connection, transaction

from changes.feed import representation
from changes.models import Change
from changes.selectors import changes_after
from courses.tests.factories import CourseFactory
from students.enrollment import services
from students.enrollment.errors import EnrollmentError
from students.enrollment.writing import Actor
from students.models import STUDENT_API_FIELDS, Channel, Student, StudentCourse
from students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db(transaction=True)  # on both engines in CI: it takes seconds
WRITERS, WRITES_EACH = 8, 30
ACTOR = Actor(channel=Channel.SYSTEM)


def write_at_random(seed: int, student_ids: list[int], course_ids: list[int], errors: list) -> None:
    rng = random.Random(seed)
    try:
        for _ in range(WRITES_EACH):
            student_id, course_id = rng.choice(student_ids), rng.choice(course_ids)
            with transaction.atomic():
                try:
                    if rng.random() < 0.3:
                        student = Student.objects.select_for_update().get(id=student_id)
                        student.first_name = f"name{rng.randrange(10**6)}"
                        student.save()
                    elif rng.random() < 0.6:
                        services.change_courses(student_id=student_id, enroll=[course_id], actor=ACTOR, waitlist=True)
                    else:
                        services.drop(student_id=student_id, course_id=course_id, actor=ACTOR)
                except EnrollmentError:
                    pass
                time.sleep(rng.random() * 0.01)  # committed later than it was recorded
    except Exception as error:  # a deadlock, say: the test fails with it
        errors.append(error)
    finally:
        connection.close()


def follow_while(writers: list[threading.Thread]) -> tuple[list[int], dict, dict]:
    """Follows the feed until the writers are done and it is read to the end: the entries' ids, and the students
    and association statuses rebuilt from them."""
    seen, names, statuses, cursor = [], {}, {}, 0
    while True:
        writing = any(writer.is_alive() for writer in writers)
        page = changes_after(after=cursor, limit=20)
        for change in page.changes:
            seen.append(change.id)
            if change.object_type == "student":
                names[change.data["id"]] = change.data
            elif change.object_type == "enrollment":
                # each change of an association starts where the previous one the consumer saw ended
                assert change.data["previous_status"] == statuses.get(change.object_id), change
                statuses[change.object_id] = change.data["status"]
        cursor = page.cursor
        if not writing and not page.has_more:
            break
        time.sleep(0.002)
    return seen, names, statuses


def test_a_consumer_following_the_feed_during_concurrent_writes_sees_each_change_once_in_order_per_object():
    student_ids = [s.id for s in StudentFactory.create_batch(6)]
    course_ids = [c.id for c in CourseFactory.create_batch(3, capacity=2)]
    errors = []
    writers = [
        threading.Thread(target=write_at_random, args=(seed, student_ids, course_ids, errors))
        for seed in range(WRITERS)
    ]
    for writer in writers:
        writer.start()
    try:
        seen, names, statuses = follow_while(writers)
    finally:
        for writer in writers:  # a failed assertion must not leave writers running into the database's teardown
            writer.join()

    assert errors == []
    print(f"feed under {WRITERS} concurrent writers: {len(seen)} entries followed, ", end="")
    assert Counter(seen).most_common(1)[0][1] == 1, "an entry was served twice"
    assert sorted(seen) == sorted(Change.objects.values_list("id", flat=True)), "an entry was never served"
    assert len(seen) > WRITERS * WRITES_EACH // 2
    assert statuses == {f"{row.student_id}/{row.course_id}": row.status for row in StudentCourse.objects.all()}
    for student in Student.objects.filter(id__in=names):
        assert names[student.id] == representation(student, STUDENT_API_FIELDS)
    print("0 missed, 0 served twice, final state equal")
