"""One input row as it goes through the import pipeline."""

ACTIONS = ("create", "update", "unchanged", "merge", "reject")


class ImportRow:
    """A row of the file and what the import does with it.

    - ``index``: file row number (the header is row 1);
    - ``raw``: {header: cell text} as read;
    - ``values``: {field key: cleaned value}; a key is absent when the cell is empty and the
      column's "on missing" is "ignore" (an update then leaves the stored value alone);
    - ``refs``: {name: database id} resolved by the target (tier, parent, product ...);
    - ``errors``: translated reasons; a row with errors is rejected;
    - ``action``: None while undecided, then "create", "update", "unchanged" (an update that
      changes nothing, so writes nothing), "merge" (folded into another row of the file, or into
      an existing record found by VAT / phone) or "reject";
    - ``target_id``: the database record the row creates or updates;
    - ``merged_into``: the file row number a duplicate row was folded into;
    - ``message``: what happens, for the preview.
    """

    __slots__ = ("action", "errors", "index", "merged_into", "message", "raw", "refs", "target_id", "values")

    def __init__(self, index, raw):
        self.index = index
        self.raw = raw
        self.values = {}
        self.refs = {}
        self.errors = []
        self.action = None
        self.target_id = None
        self.merged_into = None
        self.message = ""

    def __repr__(self):
        return f"<ImportRow {self.index} {self.action} {self.values!r} {self.errors!r}>"

    @property
    def live(self):
        """Still to be decided: no error, not folded into another row."""
        return not self.errors and self.action is None

    def reject(self, reason):
        """Reject the row for this (translated) reason; several reasons add up."""
        self.errors.append(str(reason))
        self.action = "reject"
        self.target_id = None


def count_actions(rows):
    """{action: count} over the rows, with every action present; unchanged rows are
    counted both as "unchanged" and as "update" (the contract's subset)."""
    counts = dict.fromkeys(ACTIONS, 0)
    for row in rows:
        action = "reject" if row.errors else row.action
        counts[action] += 1
    counts["update"] += counts["unchanged"]
    return counts
