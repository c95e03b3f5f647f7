from . import models
from . import tools
from . import controllers
from .hooks import post_init_hook
