from odoo import api, fields, models

FLOOR_KEYS = ("sell_in_floor", "resale_floor")


class DistributionImportTargetPrice(models.AbstractModel):
    """Regional prices and price floors, keyed by (product, territory, tier, member).

    - price: a fixed price of the product in the channel pricelist that the pricelist
      assignment rules give exactly that scope (the active rule of the company, valid
      today, with the same tier, territory and member — the highest priority wins, as
      in core), or, for a tier alone without such a rule, the tier's default
      pricelist; no such pricelist rejects the row (the import does not invent
      pricelists: who buys at which pricelist is decided by the rules). The price is
      the item Odoo's engine applies to one unit: a fixed-price item of the product in
      that pricelist, valid now, updated in place, else a new one;
    - sell_in_floor / resale_floor: the product's ``distribution.price.floor`` in the
      territory (empty: everywhere); floors are per product and territory, so a row
      with a tier or a member cannot carry them;
    - a price below the minimum sell-in price (the row's, else the one in force in the
      territory) and a floor above the product's list price are rejected, as core's
      checks would.
    The key is composite, so duplicates within the file are found here, on the
    resolved references ("SH" and "上海" are the same territory).
    """

    _name = "distribution.import.target.price"
    _inherit = "distribution.import.target"
    _description = "Import Target: Regional Prices and Floors"

    _target_models = ("product.pricelist.item", "distribution.price.floor")

    # ------------------------------------------------------------------
    # Resolve
    # ------------------------------------------------------------------
    @api.model
    def _resolve(self, job, rows):
        values_of = [row.values for row in rows]
        products = self._lookup_products(job, {v.get("product") for v in values_of})
        territories = self._lookup_territories(job, {v.get("territory") for v in values_of})
        tiers = self._lookup_tiers(job, {v.get("tier") for v in values_of})
        members = self._lookup_members(job, {v.get("member") for v in values_of})
        for row in rows:
            self._resolve_refs(row, products, territories, tiers, members)
        self._fold_resolved_duplicates(
            job,
            rows,
            lambda row: tuple(row.refs.get(name) for name in ("product_id", "territory_id", "tier_id", "member_id")),
            self.env._("product, territory, tier and member"),
        )
        live = [row for row in rows if row.live]
        pricelists = self._scope_pricelists(job)
        Product = self.env["product.product"].with_context(active_test=False)
        Product.browse(list({row.refs["product_id"] for row in live})).fetch(["lst_price", "active", "display_name"])
        priced = {}
        for row in live:
            self._check_row(row, pricelists, Product.browse(row.refs["product_id"]))
            if row.errors or not row.refs.get("pricelist_id"):
                continue
            # two scopes may share a pricelist (a rule and a tier's default): one price per pricelist
            first = priced.setdefault((row.refs["pricelist_id"], row.refs["product_id"]), row)
            if first is not row:
                row.errors.append(
                    self.env._(
                        "Row %(row)s already sets the price of this product in the same pricelist (%(pricelist)s).",
                        row=first.index,
                        pricelist=self.env["product.pricelist"].browse(row.refs["pricelist_id"]).display_name,
                    )
                )
        self._check_sell_in_floors(job, [row for row in live if row.live])

    @api.model
    def _resolve_refs(self, row, products, territories, tiers, members):
        values, refs = row.values, row.refs
        ids = products.get(values.get("product"), ())
        if len(ids) == 1:
            refs["product_id"] = ids[0]
        elif ids:
            row.errors.append(
                self.env._("Several products have the internal reference %(code)s.", code=values["product"])
            )
        else:
            row.errors.append(self.env._("Unknown product %(code)s.", code=values.get("product")))
        if values.get("territory"):
            territory_id = self._pick_territory(row, territories, values["territory"])
            if territory_id:
                refs["territory_id"] = territory_id
        if values.get("tier"):
            tier_id = self._pick_tier(row, tiers, values["tier"])
            if tier_id:
                refs["tier_id"] = tier_id
        if values.get("member"):
            member_id = members.get(values["member"])
            if member_id:
                refs["member_id"] = member_id
            else:
                row.errors.append(self.env._("Unknown member %(code)s.", code=values["member"]))

    @api.model
    def _scope_pricelists(self, job):
        """{(tier id, territory id, member id): pricelist id}: the pricelist of the rule
        with exactly that scope (None for an empty part), else a tier's default pricelist."""
        today = fields.Date.context_today(self)
        rules = self.env["distribution.pricelist.rule"].search(
            [
                ("company_id", "=", job.company_id.id),
                "|", ("date_start", "=", False), ("date_start", "<=", today),
                "|", ("date_end", "=", False), ("date_end", ">=", today),
            ]
        )
        result = {}
        for rule in rules:  # in the rules' order: the highest priority first
            scope = (rule.tier_id.id or None, rule.territory_id.id or None, rule.member_id.id or None)
            result.setdefault(scope, rule.pricelist_id.id)
        tiers = self.env["distribution.tier"].search(
            [("company_id", "in", [job.company_id.id, False]), ("pricelist_id", "!=", False)]
        )
        for tier in tiers:
            result.setdefault((tier.id, None, None), tier.pricelist_id.id)
        return result

    @api.model
    def _check_row(self, row, pricelists, product):
        values, refs = row.values, row.refs
        currency = self.env.company.currency_id
        if not product.active:
            row.errors.append(self.env._("Product %(product)s is archived.", product=product.display_name))
        has_price = values.get("price") is not None
        floors = {key: values[key] for key in FLOOR_KEYS if values.get(key) is not None}
        if not has_price and not floors:
            row.errors.append(
                self.env._("Give a price, a minimum sell-in price or a minimum resale price.")
            )
            return
        if floors and (refs.get("tier_id") or refs.get("member_id")):
            row.errors.append(
                self.env._(
                    "Price floors are set per product and territory: put them on a row without tier and member."
                )
            )
        if has_price:
            scope = (refs.get("tier_id"), refs.get("territory_id"), refs.get("member_id"))
            pricelist_id = pricelists.get(scope)
            if pricelist_id:
                refs["pricelist_id"] = pricelist_id
            else:
                row.errors.append(
                    self.env._(
                        "No channel pricelist is assigned to %(scope)s: add a pricelist assignment rule for exactly "
                        "this tier, territory and member first.",
                        scope=" / ".join(values[key] for key in ("tier", "territory", "member") if values.get(key))
                        or self.env._("all members"),
                    )
                )
        for key, floor in floors.items():
            if currency.compare_amounts(floor, product.lst_price) > 0:
                row.errors.append(
                    self.env._(
                        "The %(label)s (%(floor)s) is above the list price of %(product)s (%(price)s).",
                        label=self._floor_label(key),
                        floor=currency.format(floor),
                        product=product.display_name,
                        price=currency.format(product.lst_price),
                    )
                )
        if has_price and floors.get("sell_in_floor") is not None:
            if currency.compare_amounts(values["price"], floors["sell_in_floor"]) < 0:
                row.errors.append(
                    self.env._(
                        "The price (%(price)s) is below the minimum sell-in price (%(floor)s) of the same row.",
                        price=currency.format(values["price"]),
                        floor=currency.format(floors["sell_in_floor"]),
                    )
                )

    def _floor_label(self, key):
        if key == "sell_in_floor":
            return self.env._("minimum sell-in price")
        return self.env._("minimum resale price")

    @api.model
    def _check_sell_in_floors(self, job, rows):
        """A price below the minimum sell-in price in force where it applies (the row's
        territory, else its member's) is rejected; one look-up per territory."""
        Floor = self.env["distribution.price.floor"]
        Product = self.env["product.product"]
        currency = job.company_id.currency_id
        rows = [row for row in rows if row.values.get("price") is not None and row.values.get("sell_in_floor") is None]
        members = self.env["distribution.member"].browse(
            list({row.refs["member_id"] for row in rows if "member_id" in row.refs})
        )
        member_territory = {member.id: member.territory_id.id for member in members}
        by_territory = {}
        for row in rows:
            territory_id = row.refs.get("territory_id") or member_territory.get(row.refs.get("member_id"))
            by_territory.setdefault(territory_id or False, []).append(row)
        for territory_id, territory_rows in by_territory.items():
            products = Product.browse(list({row.refs["product_id"] for row in territory_rows}))
            floors = Floor._get_floors(products, self.env["distribution.territory"].browse(territory_id), job.company_id)
            for row in territory_rows:
                floor = floors.get(row.refs["product_id"])
                if floor and floor.sell_in_floor and currency.compare_amounts(row.values["price"], floor.sell_in_floor) < 0:
                    row.errors.append(
                        self.env._(
                            "The price (%(price)s) is below the minimum sell-in price of %(floor)s (%(amount)s).",
                            price=currency.format(row.values["price"]),
                            floor=floor.display_name,
                            amount=currency.format(floor.sell_in_floor),
                        )
                    )

    # ------------------------------------------------------------------
    # Match
    # ------------------------------------------------------------------
    @api.model
    def _existing(self, job, rows):
        """({(pricelist id, product id): item}, {(product id, territory id or False): floor}):
        the fixed-price items valid now and the active floors the rows concern."""
        now = fields.Datetime.now()
        priced = [row for row in rows if row.refs.get("pricelist_id")]
        items = {}
        if priced:
            for item in self.env["product.pricelist.item"].search(
                [
                    ("pricelist_id", "in", list({row.refs["pricelist_id"] for row in priced})),
                    ("product_id", "in", list({row.refs["product_id"] for row in priced})),
                    ("applied_on", "=", "0_product_variant"),
                    ("compute_price", "=", "fixed"),
                    ("min_quantity", "<=", 1),
                    "|", ("date_start", "=", False), ("date_start", "<=", now),
                    "|", ("date_end", "=", False), ("date_end", ">=", now),
                ]
            ):  # in the pricelist engine's order: the first one applies
                items.setdefault((item.pricelist_id.id, item.product_id.id), item)
        floored = [row for row in rows if any(row.values.get(key) is not None for key in FLOOR_KEYS)]
        floors = {}
        if floored:
            for floor in self.env["distribution.price.floor"].search(
                [
                    ("company_id", "=", job.company_id.id),
                    ("product_id", "in", list({row.refs["product_id"] for row in floored})),
                    ("territory_id", "in", [*{row.refs.get("territory_id") for row in floored} - {None}, False]),
                ]
            ):
                floors.setdefault((floor.product_id.id, floor.territory_id.id or False), floor)
        return items, floors

    @api.model
    def _match(self, job, rows):
        items, floors = self._existing(job, rows)
        currency = job.company_id.currency_id
        for row in rows:
            values, refs = row.values, row.refs
            exists, changes = [], []
            if refs.get("pricelist_id"):
                item = items.get((refs["pricelist_id"], refs["product_id"]))
                refs["item_id"] = item.id if item else None
                exists.append(bool(item))
                if not item:
                    changes.append(self.env._("new price"))
                elif currency.compare_amounts(item.fixed_price, values["price"]):
                    changes.append(self.env._("price"))
            given = {key: values[key] for key in FLOOR_KEYS if values.get(key) is not None}
            if given:
                floor = floors.get((refs["product_id"], refs.get("territory_id") or False))
                refs["floor_id"] = floor.id if floor else None
                exists.append(bool(floor))
                if not floor:
                    changes.append(self.env._("new floor"))
                else:
                    changes.extend(
                        self._floor_label(key) for key, value in given.items()
                        if currency.compare_amounts(floor[key], value)
                    )
            row.target_id = refs.get("item_id") or refs.get("floor_id")
            if not any(exists):
                row.action = "create"
                row.message = self.env._("Creates %(what)s.", what=", ".join(changes))
            elif changes:
                row.action = "update"
                row.message = self.env._("Updates %(what)s.", what=", ".join(changes))
            else:
                row.action = "unchanged"
                row.message = self.env._("No change.")

    # ------------------------------------------------------------------
    # Write
    # ------------------------------------------------------------------
    @api.model
    def _write(self, job, rows):
        Item = self.env["product.pricelist.item"]
        Floor = self.env["distribution.price.floor"]
        Product = self.env["product.product"]
        currency = job.company_id.currency_id
        new_items, new_floors = [], []
        item_prices, floor_vals = {}, {}
        items = Item.browse([row.refs["item_id"] for row in rows if row.refs.get("item_id")])
        floors = Floor.browse([row.refs["floor_id"] for row in rows if row.refs.get("floor_id")])
        items.fetch(["fixed_price"])
        floors.fetch(list(FLOOR_KEYS))
        for row in rows:
            values, refs = row.values, row.refs
            if refs.get("pricelist_id"):
                if refs.get("item_id"):
                    if currency.compare_amounts(Item.browse(refs["item_id"]).fixed_price, values["price"]):
                        item_prices.setdefault(values["price"], []).append(refs["item_id"])
                else:
                    new_items.append((row, {
                        "pricelist_id": refs["pricelist_id"],
                        "applied_on": "0_product_variant",
                        "product_id": refs["product_id"],
                        "product_tmpl_id": Product.browse(refs["product_id"]).product_tmpl_id.id,
                        "compute_price": "fixed",
                        "fixed_price": values["price"],
                        "min_quantity": 0,
                    }))
            given = {key: values[key] for key in FLOOR_KEYS if values.get(key) is not None}
            if given and refs.get("floor_id"):
                floor = Floor.browse(refs["floor_id"])
                changed = {key: value for key, value in given.items() if currency.compare_amounts(floor[key], value)}
                if changed:
                    floor_vals.setdefault(tuple(sorted(changed.items())), []).append(floor.id)
            elif given:
                new_floors.append((row, dict(
                    given, product_id=refs["product_id"], territory_id=refs.get("territory_id") or False,
                    company_id=job.company_id.id,
                )))
        for price, item_ids in item_prices.items():
            Item.browse(item_ids).write({"fixed_price": price})
        for changed, floor_ids in floor_vals.items():
            Floor.browse(floor_ids).write(dict(changed))
        if new_items:
            created = Item.create([vals for _row, vals in new_items])
            for (row, _vals), item in zip(new_items, created, strict=True):
                row.refs["item_id"] = item.id
                row.target_id = item.id
        if new_floors:
            created = Floor.create([vals for _row, vals in new_floors])
            for (row, _vals), floor in zip(new_floors, created, strict=True):
                row.refs["floor_id"] = floor.id
                row.target_id = row.target_id or floor.id
