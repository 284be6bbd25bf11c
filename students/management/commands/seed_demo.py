import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from changes.sequencing import sequence_pending
from config.actors import acting
from students.demo_data import seed_demo
from students.models import Channel


class Command(BaseCommand):
    help = (
        "Loads a realistic demo district: schools, a school year of two terms, courses (sections of catalog "
        "courses), teachers, students and associations, reproducible with --seed and idempotent (running it again "
        "with the same arguments changes nothing).\n"
        "Example: manage.py seed_demo --students 1000 --courses 40 --per-student 4 --schools 3 --teachers 30 --seed 7"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--students", type=int, default=200, help="How many students (default 200).")
        parser.add_argument("--courses", type=int, default=20, help="How many courses (default 20).")
        parser.add_argument("--per-student", type=int, default=3, help="Courses per student (default 3).")
        parser.add_argument("--schools", type=int, default=3, help="How many schools (default 3; the first is ours).")
        parser.add_argument(
            "--teachers", type=int, default=None, help="How many teachers (default: four for every five courses)."
        )
        parser.add_argument("--seed", type=int, default=0, help="Random seed: the same seed, the same data.")

    def handle(
        self, *args, students: int, courses: int, per_student: int, schools: int, teachers, seed: int, **options
    ) -> None:
        if teachers is None:
            teachers = max(courses * 4 // 5, 1 if courses else 0)
        if min(students, courses, per_student, teachers) < 0:
            raise CommandError("--students, --courses, --per-student and --teachers cannot be negative.")
        bars: dict[str, tqdm] = {}
        interactive = sys.stdout.isatty() and options.get("verbosity", 1) > 0
        reported: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if interactive:
                bar = bars.setdefault(stage, tqdm(total=total, desc=stage, unit="student"))
                bar.update(done - bar.n)
            elif total and done * 10 // total > reported.get(stage, -1):
                reported[stage] = done * 10 // total
                self.stdout.write(f"{stage}: {done}/{total}")

        try:
            with acting(Channel.COMMAND):  # the district's orgs and sessions it saves are the command's changes
                result = seed_demo(
                    students=students,
                    courses=courses,
                    per_student=per_student,
                    schools=schools,
                    teachers=teachers,
                    seed=seed,
                    progress=progress,
                )
        except ValueError as error:
            raise CommandError(str(error)) from error
        finally:
            for bar in bars.values():
                bar.close()
        sequence_pending()  # the feed's entries of the new rows get their positions now, not at the first read
        self.stdout.write(
            f"Demo data added: {result.students} students, {result.courses} courses, "
            f"{result.associations} associations, {result.teachers} teachers, in {result.schools} schools "
            "(rows that existed already are left alone)."
        )
