"""Writes that span several models (HackSoft style: keyword-only, typed, atomic), one module
per feature. Views and the API call these, never the models' save() for such writes."""

from .briefs import brief_create, brief_delete, brief_publish, brief_save_summaries, brief_set_items
from .campaigns import (
    campaign_publish,
    nomination_create,
    nomination_decide,
    nomination_evidence,
    nomination_score,
    nomination_withdraw,
)
from .concerns import (
    CONCERN_EDITABLE_FIELDS,
    DeadlineMove,
    concern_create,
    concern_deadlines_recompute,
    concern_delete,
    concern_due_date,
    concern_escalate,
    concern_handover,
    concern_transition,
    concern_update,
)
from .locking import Conflict
from .notices import notice_add
from .opinions import (
    opinion_answer,
    opinion_delete,
    opinion_forward,
    opinion_merge,
    opinion_tag,
    opinion_unmerge,
    opinion_update,
    opinions_follow_visit,
)
from .referrals import referral_access_log, referral_open, referral_transition
from .visits import (
    VisitStateError,
    enterprise_verify,
    visit_photo_add,
    visit_return,
    visit_review,
    visit_save,
    visits_review,
)

__all__ = [
    "campaign_publish",
    "nomination_create",
    "nomination_decide",
    "nomination_evidence",
    "nomination_score",
    "nomination_withdraw",
    "brief_create",
    "brief_delete",
    "brief_publish",
    "brief_save_summaries",
    "brief_set_items",
    "CONCERN_EDITABLE_FIELDS",
    "Conflict",
    "VisitStateError",
    "concern_create",
    "DeadlineMove",
    "concern_deadlines_recompute",
    "concern_delete",
    "concern_due_date",
    "concern_escalate",
    "concern_handover",
    "concern_transition",
    "concern_update",
    "enterprise_verify",
    "opinion_answer",
    "opinion_delete",
    "opinion_forward",
    "opinion_merge",
    "opinion_tag",
    "opinion_unmerge",
    "opinion_update",
    "opinions_follow_visit",
    "notice_add",
    "referral_access_log",
    "referral_open",
    "referral_transition",
    "visit_photo_add",
    "visit_return",
    "visit_review",
    "visit_save",
    "visits_review",
]
