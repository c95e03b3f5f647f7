from . import distribution_sms_provider
from . import distribution_sms_provider_log
from . import distribution_sms_provider_aliyun
from . import distribution_sms_message
from . import res_config_settings
