"""Who may do what with cases, by role. Which cases they see is `selectors.cases_visible_to`."""

from hailong.organisation.models import Role

ALL_STAFF = set(Role.values)
# Enter a case received at the desk, by phone, letter or email.
INTAKE = {Role.ADMIN, Role.SECRETARY, Role.CLERK}
# Accept or refuse, assign, transfer, close and reopen: the reception desk and its managers.
TRIAGE = {Role.ADMIN, Role.SECRETARY, Role.CLERK, Role.LEADER}
# Work on an assigned case: notes, replies, the answer. Everyone, within their scope.
HANDLE = ALL_STAFF
