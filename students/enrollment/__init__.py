"""Enrollment: the rules of who takes which course, and the few entry points that change it.

Glossary
- **association**: one student's row for one course (``StudentCourse``), whatever its status; never deleted.
- **enroll**: give the student a seat in the course (status ``enrolled``); needs a free seat.
- **waitlist**: when the course is full, queue the student for a seat (status ``waitlisted``), with a ticket
  handed out in increasing order per course.
- **drop**: end an enrolled or waitlisted association (status ``dropped``); an enrolled one frees its seat.
- **complete**: an enrolled course finished (status ``completed``); frees its seat too.
- **promote**: move the lowest-ticket waitlisted student into a freed seat, in the same transaction.

Layout: ``planning`` holds the one rule (a pure function); ``services`` the entry points the API, the admin and
the commands call (each: lock → read → plan → write → promote); ``state`` the locks and reads they share;
``writing`` the writes; ``selectors`` the reads every channel shows; ``errors`` why a request is refused.
"""
