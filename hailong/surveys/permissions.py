from hailong.organisation.models import Role
from hailong.organisation.permissions import PRINT_MATERIALS  # noqa: F401 (used by views)

ALL_STAFF = set(Role.values)

MANAGE_QUESTIONNAIRES = {Role.ADMIN, Role.SECRETARY}
MANAGE_CAMPAIGNS = {Role.ADMIN, Role.SECRETARY}
ENTER_PAPER = {Role.ADMIN, Role.SECRETARY, Role.CLERK}
CORRECT_RESPONSES = {Role.ADMIN, Role.SECRETARY}
IMPORT_RESPONSES = {Role.ADMIN, Role.SECRETARY}
