"""What every import shares, whatever its format (the enrollments CSV, a OneRoster bundle) and its channel (a command,
an API job): reading files that may be huge or hostile within fixed bounds (``files``), and the problems found, kept
to a fixed number with their total (``problems``). The bounds are settings (``IMPORT_MAX_…``, README "Imports")."""
