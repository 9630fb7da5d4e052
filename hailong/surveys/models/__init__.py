from hailong.surveys.models.campaigns import Campaign, CampaignStatus
from hailong.surveys.models.dossiers import Dossier, DossierChannel
from hailong.surveys.models.exports import ExportFormat, ResponseExport
from hailong.surveys.models.imports import ImportStatus, ResponseImport
from hailong.surveys.models.invitations import Invitation, RegularCustomer
from hailong.surveys.models.questionnaires import (
    Item,
    ItemKind,
    Option,
    Questionnaire,
    QuestionnaireVersion,
    Section,
    VersionStatus,
)
from hailong.surveys.models.responses import (
    Answer,
    Channel,
    ConsentRecord,
    KioskDevice,
    PaperBatch,
    Response,
)

__all__ = [
    "Answer",
    "Campaign",
    "CampaignStatus",
    "Channel",
    "ConsentRecord",
    "Dossier",
    "DossierChannel",
    "ExportFormat",
    "ImportStatus",
    "Invitation",
    "Item",
    "ItemKind",
    "KioskDevice",
    "Option",
    "PaperBatch",
    "Questionnaire",
    "QuestionnaireVersion",
    "RegularCustomer",
    "Response",
    "ResponseExport",
    "ResponseImport",
    "Section",
    "VersionStatus",
]
