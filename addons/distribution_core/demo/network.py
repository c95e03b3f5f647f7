"""What other addons' demo code needs to know of core's network demo.

The network demo itself is data: the records are in ``demo/*.xml`` (company, users, territories,
members, portal users, products, onboarding), with ``distribution_core.demo_*`` XML ids. Demo code
of other addons (e.g. distribution_sale's ``demo/history.py``) finds them by code through
:func:`xmlid_name`, in the order below (the order of the XML files, which their random draws follow).
"""

from ..tools.demo import DEMO_CONTEXT as HISTORY_CONTEXT

# quiet and fast (tools.demo), and no activity or password e-mails to the demo users
DEMO_CONTEXT = dict(HISTORY_CONTEXT, mail_activity_quick_update=True, no_reset_password=True)

# distribution_core.demo_territory_<code>
TERRITORY_CODES = (
    "CN", "EAST", "SOUTH", "NORTH", "ZJ", "JS", "GD",
    "ZJ-HZ", "ZJ-NB", "ZJ-WZ", "JS-NJ", "JS-SZ", "GD-GZ", "GD-SZ", "GD-FS",
)
# distribution_core.demo_member_<code>; DL006 is an application, ST003 is suspended
MEMBER_CODES = (
    "RD001", "RD002", "DL001", "DL002", "DL003", "DL004", "DL005",
    "ST001", "ST002", "ST003", "ST004", "ST005", "ST006", "ST007", "ST008", "ST009", "ST010",
    "DL006",
)
# distribution_core.demo_product_<code> (product.product)
PRODUCT_CODES = tuple(
    f"{category}-{number:03d}"
    for category, count in (("BV", 8), ("SN", 8), ("PC", 7), ("HC", 7))
    for number in range(1, count + 1)
)


def xmlid_name(code):
    """The XML id part of a demo code: ``ZJ-HZ`` → ``zj_hz`` (``demo_territory_zj_hz``)."""
    return code.lower().replace("-", "_")
