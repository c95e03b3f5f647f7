from .codes import normalize_code
