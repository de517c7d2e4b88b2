"""Web pages of staff management (staff.py), the password change (password.py) and the roster import (imports.py)."""
