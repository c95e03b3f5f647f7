"""The approval engine's markers and small helpers, shared by the models of
distribution_approval and by the addons whose documents opt in (``_dms_approval = True``)."""

CHANNEL_REVIEW_TYPES = [
    ("channel_manager", "Member's channel manager"),
    ("territory_manager", "Territory manager"),
    ("parent_portal", "Parent member's portal users"),
]

# Context keys of base_tier_validation that switch a check off. A context sent through
# RPC is the caller's: on opted-in models they are honoured only from the engine.
UNTRUSTED_CONTEXT_KEYS = ("skip_validation_check", "skip_check_state_condition")
# base_tier_validation's key that leaves the next review step waiting (for a caller who promotes
# it himself afterwards): from a client, it would leave a document blocked with no pending review
DEFER_KEY = "tier_validation_defer_compute_can_review"

# fields of tier.review a non-engine write may still change (bookkeeping of OCA's reminder)
FREE_REVIEW_FIELDS = {"last_reminder_date"}

# The marker of the approval engine's own writes. An object, not a flag: a
# context sent through RPC is JSON and can never contain it.
ENGINE = object()
# The marker of a change already watched by the frozen-figures guard (same reason).
GUARD = object()


def engine(env):
    """An environment allowed to change reviews (the engine itself)."""
    return env.context.get("dms_tier_engine") is ENGINE or env.su


def engine_marked(env):
    """The engine's own code, and only it: unlike engine(), sudo() is not enough (code
    running as superuser on behalf of a portal or RPC user keeps that user's context)."""
    return env.context.get("dms_tier_engine") is ENGINE


def opted_in(env, model_name):
    """Whether the channel reinforcements apply to documents of this model."""
    return bool(model_name) and model_name in env and bool(getattr(env[model_name], "_dms_approval", False))


def plain(field, value):
    """A field's value as a plain, JSON-comparable value."""
    if field.type == "many2one":
        return value.id
    if field.type in ("one2many", "many2many"):
        return sorted(value.ids)
    if field.type in ("float", "monetary"):
        return round(value or 0.0, 6)
    if field.type in ("date", "datetime"):
        return str(value) if value else False
    return value

