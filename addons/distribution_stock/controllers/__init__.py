from . import portal_stock, portal_suggestion
