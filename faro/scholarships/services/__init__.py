"""Writes for scholarships, split by sub-domain and re-exported here (one import path for callers).

- `calls`: creating, changing and advancing calls; telling focal points.
- `applications`: eligibility, drafts, documents, submission, withdrawal.
- `review`: national endorsement and ranking; reviewers and their scores.
- `results`: the allocation, its preview, overrides, what publishing would do, publication.
- `offers`: accepting and declining offers, expiry, promotion from the waitlists.

Every service takes `acting_user`, runs in one transaction, writes the audit log and sends mail
on commit; a refused action raises `ScholarshipError`. `now` may be given to run a past programme
(the demo); it defaults to the clock.
"""

from faro.scholarships.services.allocation_outcomes import (
    MailGroup,
    ResultsPreview,
    build_allocation_problem,
    ineligibility,
    offer_link,
    offer_token,
    outcome_reason,
    override_outcome,
    preview_allocation,
    publish_results,
    reason_text,
    results_preview,
)
from faro.scholarships.services.applications import (
    Draft,
    attach_document,
    choosable_offerings,
    draft_fields,
    eligibility_problems,
    remove_document,
    save_application,
    start_application,
    submit_application,
    withdraw_application,
)
from faro.scholarships.services.base import DOCUMENT_KINDS, ScholarshipError
from faro.scholarships.services.calls import (
    REMIND_BEFORE,
    IncompleteReview,
    advance_call,
    close_overdue_calls,
    create_call,
    notify_endorsers,
    remind_endorsers,
    update_call,
)
from faro.scholarships.services.offers import (
    accept_offer,
    decline_offer,
    expire_offers,
    offer_from_token,
    promote_next,
)
from faro.scholarships.services.review import (
    ReviewGap,
    assign_reviewer,
    assign_reviewers_automatically,
    endorse_application,
    lock_call,
    rank_endorsed,
    refresh_merit,
    review_gaps,
    reviewer_conflict,
    reviewers,
    submit_review,
    weighted_total,
)

__all__ = [
    "DOCUMENT_KINDS",
    "REMIND_BEFORE",
    "Draft",
    "IncompleteReview",
    "MailGroup",
    "ResultsPreview",
    "ReviewGap",
    "ScholarshipError",
    "accept_offer",
    "advance_call",
    "assign_reviewer",
    "assign_reviewers_automatically",
    "attach_document",
    "build_allocation_problem",
    "choosable_offerings",
    "close_overdue_calls",
    "create_call",
    "decline_offer",
    "draft_fields",
    "eligibility_problems",
    "endorse_application",
    "expire_offers",
    "ineligibility",
    "lock_call",
    "notify_endorsers",
    "offer_from_token",
    "offer_link",
    "offer_token",
    "outcome_reason",
    "override_outcome",
    "preview_allocation",
    "promote_next",
    "publish_results",
    "rank_endorsed",
    "reason_text",
    "refresh_merit",
    "remind_endorsers",
    "remove_document",
    "results_preview",
    "review_gaps",
    "reviewer_conflict",
    "reviewers",
    "save_application",
    "start_application",
    "submit_application",
    "submit_review",
    "update_call",
    "weighted_total",
    "withdraw_application",
]
