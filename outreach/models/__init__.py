"""The outreach app's models, one module per feature; the app label stays "outreach"."""

from .assessments import Assessment, AssessmentGrade
from .briefs import Brief, BriefQuerySet, BriefSummary
from .calendar import WorkingDayOverride
from .campaigns import (
    Campaign,
    CampaignCategory,
    CampaignQuerySet,
    ModelCase,
    Nomination,
    NominationQuerySet,
)
from .concerns import Category, CategoryTimeLimit, Concern, ConcernEvent, ConcernQuerySet
from .figures import CadreMonth, CoverageMonth, ProblemMonth, VisitMonth
from .notices import EVENT_KINDS, Notice, NoticePreference, NoticeQuerySet
from .opinions import Opinion, OpinionQuerySet, OpinionTheme, visit_opinion_text
from .quotas import YearQuota
from .referrals import Referral, ReferralAccess, ReferralQuerySet
from .rules import EvaluationRule
from .visits import Visit, VisitPhoto, VisitQuerySet, visit_photo_path

__all__ = [
    "Assessment",
    "CadreMonth",
    "CoverageMonth",
    "ProblemMonth",
    "VisitMonth",
    "AssessmentGrade",
    "Campaign",
    "CampaignCategory",
    "CampaignQuerySet",
    "Brief",
    "BriefQuerySet",
    "BriefSummary",
    "Category",
    "CategoryTimeLimit",
    "Concern",
    "ConcernEvent",
    "ConcernQuerySet",
    "EVENT_KINDS",
    "EvaluationRule",
    "Opinion",
    "OpinionQuerySet",
    "OpinionTheme",
    "ModelCase",
    "Nomination",
    "NominationQuerySet",
    "Notice",
    "NoticePreference",
    "NoticeQuerySet",
    "Referral",
    "ReferralAccess",
    "ReferralQuerySet",
    "Visit",
    "VisitPhoto",
    "VisitQuerySet",
    "visit_opinion_text",
    "visit_photo_path",
    "WorkingDayOverride",
    "YearQuota",
]
