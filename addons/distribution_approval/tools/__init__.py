from .engine import (
    CHANNEL_REVIEW_TYPES,
    ENGINE,
    FREE_REVIEW_FIELDS,
    GUARD,
    UNTRUSTED_CONTEXT_KEYS,
    engine,
    engine_marked,
    opted_in,
    plain,
)
