from .engine import (
    CHANNEL_REVIEW_TYPES,
    DEFER_KEY,
    ENGINE,
    FREE_REVIEW_FIELDS,
    GUARD,
    UNTRUSTED_CONTEXT_KEYS,
    engine,
    engine_marked,
    opted_in,
    plain,
)
