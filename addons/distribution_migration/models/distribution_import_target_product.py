from odoo import api, models
from odoo.tools import SQL, float_compare

from .distribution_import_target_lookup import normalise_name, translations

#: product types of legacy files → (Odoo type, track inventory or None: unchanged)
PRODUCT_TYPES = {
    "goods": ("consu", None),
    "consu": ("consu", None),
    "consumable": ("consu", None),
    "product": ("consu", True),
    "storable": ("consu", True),
    "storable product": ("consu", True),
    "商品": ("consu", None),
    "货品": ("consu", None),
    "实物": ("consu", None),
    "存货": ("consu", True),
    "库存商品": ("consu", True),
    "service": ("service", None),
    "services": ("service", None),
    "服务": ("service", None),
    "劳务": ("service", None),
    "combo": ("combo", None),
    "组合": ("combo", None),
    "套餐": ("combo", None),
}

#: units of measure legacy files name otherwise than Odoo: XML id → names
UOM_SYNONYMS = {
    "uom.product_uom_unit": (
        "unit", "units", "pc", "pcs", "piece", "pieces", "ea", "each",
        "个", "件", "只", "支", "台", "套", "瓶", "包", "袋", "罐", "条",
    ),
    "uom.product_uom_dozen": ("dozen", "dozens", "打"),
    "uom.product_uom_kgm": ("kg", "kgs", "kilogram", "公斤", "千克"),
    "uom.product_uom_gram": ("g", "gram", "grams", "克"),
    "uom.product_uom_ton": ("t", "ton", "tons", "tonne", "吨"),
    "uom.product_uom_litre": ("l", "litre", "liter", "litres", "liters", "升"),
    "uom.product_uom_milliliter": ("ml", "毫升"),
    "uom.product_uom_meter": ("m", "meter", "metre", "米"),
    "uom.product_uom_hour": ("h", "hour", "hours", "小时"),
    "uom.product_uom_day": ("day", "days", "天"),
}

#: product fields the file may give, compared to decide between "update" and "unchanged"
PRODUCT_FIELDS = ("default_code", "name", "barcode", "categ_id", "uom_id", "list_price", "standard_price", "type",
                  "is_storable")


class DistributionImportTargetProduct(models.AbstractModel):
    """Products (product.product with their template), keyed by the internal reference.

    - barcode: secondary key; a new reference whose barcode is an existing product's
      merges into that product (profile policy "merge") or is rejected;
    - category: by complete name ("Goods / Drinks") or, when unique, by name; a category
      that does not exist is created with its missing parents (legacy files carry
      their category tree; the dry run says which categories the import will create);
    - unit: by name in any language or a usual synonym (个, 件, kg, 公斤 ...); an unknown
      unit rejects the row (units are set up by hand, not guessed);
    - type: goods / service (a combo product needs its choices, so it is not created
      by an import); "storable" (库存商品) also tracks the inventory;
    - cost: the company's cost of the product.
    """

    _name = "distribution.import.target.product"
    _inherit = "distribution.import.target"
    _description = "Import Target: Products"

    _target_models = ("product.product", "product.template", "product.category")

    @api.model
    def _secondary_keys(self):
        return ("barcode",)

    # ------------------------------------------------------------------
    # Resolve
    # ------------------------------------------------------------------
    @api.model
    def _category_index(self):
        """({normalised complete name: id}, {normalised name: [ids]}) of every category."""
        self.env["product.category"].flush_model(["name", "complete_name"])
        self.env.cr.execute(SQL("SELECT id, name, complete_name FROM product_category"))
        by_path, by_name = {}, {}
        for category_id, name, complete_name in self.env.cr.fetchall():
            by_path[normalise_name(complete_name)] = category_id
            by_name.setdefault(normalise_name(name), []).append(category_id)
        return by_path, by_name

    @api.model
    def _uom_index(self):
        """{normalised name: [uom ids]}: the units' names in every language, then the
        usual synonyms of the units that no name already claims."""
        self.env["uom.uom"].flush_model(["name", "active"])
        self.env.cr.execute(SQL("SELECT id, name FROM uom_uom WHERE active"))
        index = {}
        for uom_id, names in self.env.cr.fetchall():
            for name in translations(names):
                ids = index.setdefault(normalise_name(name), [])
                if uom_id not in ids:
                    ids.append(uom_id)
        for xmlid, words in UOM_SYNONYMS.items():
            uom = self.env.ref(xmlid, raise_if_not_found=False)
            if uom and uom.active:
                for word in words:
                    index.setdefault(normalise_name(word), [uom.id])
        return index

    @api.model
    def _resolve(self, job, rows):
        by_path, by_name = self._category_index()
        uoms = self._uom_index() if any("uom" in row.values for row in rows) else {}
        for row in rows:
            values = row.values
            if values.get("barcode") is not None:
                barcode = "".join(str(values["barcode"]).split())
                if barcode:
                    values["barcode"] = barcode
                else:
                    del values["barcode"]
            if values.get("categ"):
                self._resolve_category(row, by_path, by_name)
            if values.get("uom"):
                ids = uoms.get(normalise_name(values["uom"]), [])
                if len(ids) == 1:
                    row.refs["uom_id"] = ids[0]
                elif ids:
                    row.errors.append(
                        self.env._("Several units of measure are named %(uom)s.", uom=values["uom"])
                    )
                else:
                    row.errors.append(
                        self.env._(
                            "Unknown unit of measure %(uom)s: create it (Inventory settings) or use an existing "
                            "unit's name.",
                            uom=values["uom"],
                        )
                    )
            if values.get("type"):
                kind = PRODUCT_TYPES.get(normalise_name(values["type"]))
                if not kind:
                    row.errors.append(
                        self.env._(
                            "Unknown product type %(type)s: give goods, service or combo.", type=values["type"]
                        )
                    )
                else:
                    row.refs["type"] = kind[0]
                    if kind[1] is not None and values.get("is_storable") is None:
                        values["is_storable"] = kind[1]
            if values.get("is_storable") and row.refs.get("type", "consu") != "consu":
                row.errors.append(self.env._("Only goods can track their inventory, not a service or a combo."))

    @api.model
    def _resolve_category(self, row, by_path, by_name):
        """The row's category by complete name or unique name; else the path to create."""
        text = row.values["categ"]
        path = normalise_name(text)
        category_id = by_path.get(path)
        if category_id is None and "/" not in path:
            ids = by_name.get(path, [])
            if len(ids) > 1:
                row.errors.append(
                    self.env._(
                        "Several product categories are named %(categ)s: give the complete name "
                        "(e.g. Goods / Drinks).",
                        categ=text,
                    )
                )
                return
            category_id = ids[0] if ids else None
        if category_id is not None:
            row.refs["categ_id"] = category_id
        else:
            # written as in the file (parts trimmed): created before the first batch
            row.refs["categ_path"] = tuple(" ".join(part.split()) for part in text.split("/") if part.strip())

    # ------------------------------------------------------------------
    # Match
    # ------------------------------------------------------------------
    @api.model
    def _lookup_barcodes(self, job, barcodes):
        """{barcode: [product ids]} of the products of the company (or shared) with these barcodes."""
        if not barcodes:
            return {}
        self.env["product.product"].flush_model(["barcode", "product_tmpl_id"])
        self.env["product.template"].flush_model(["company_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT pp.id, pp.barcode
                  FROM product_product pp
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE pp.barcode = ANY(%s) AND (pt.company_id IS NULL OR pt.company_id = %s)
              ORDER BY pp.id
                """,
                list(barcodes),
                job.company_id.id,
            )
        )
        result = {}
        for product_id, barcode in self.env.cr.fetchall():
            result.setdefault(barcode, []).append(product_id)
        return result

    @api.model
    def _match(self, job, rows):
        by_code = self._lookup_products(job, {row.values["default_code"] for row in rows})
        by_barcode = self._lookup_barcodes(job, {row.values["barcode"] for row in rows if row.values.get("barcode")})
        merge = job.profile_id.dup_db_policy == "merge"
        found_ids = {pid for ids in by_code.values() for pid in ids} | {
            pid for ids in by_barcode.values() for pid in ids
        }
        products = self.env["product.product"].with_company(job.company_id).with_context(active_test=False).browse(
            sorted(found_ids)
        )
        products.fetch(["default_code", "name", "barcode", "categ_id", "uom_id", "list_price", "type", "active",
                        "is_storable", "standard_price"])
        for row in rows:
            code = row.values["default_code"]
            ids = by_code.get(code, ())
            barcode = row.values.get("barcode")
            holders = by_barcode.get(barcode, []) if barcode else []
            if len(ids) > 1:
                row.reject(self.env._("Several products have the internal reference %(code)s.", code=code))
                continue
            if ids:
                product = products.browse(ids[0])
                others = [pid for pid in holders if pid != product.id]
                if others:
                    row.reject(self._barcode_taken_message(barcode, products.browse(others[0])))
                    continue
                self._decide(row, product, "update")
                continue
            if len(holders) > 1:
                row.reject(
                    self.env._("Several products have the barcode %(barcode)s: merge them first.", barcode=barcode)
                )
                continue
            if holders:
                product = products.browse(holders[0])
                if not merge:
                    row.reject(self._barcode_taken_message(barcode, product))
                    continue
                self._decide(row, product, "merge")
                continue
            if not row.values.get("name"):
                row.reject(self.env._("The product name is missing."))
                continue
            if row.refs.get("type") == "combo":
                row.reject(self._combo_message())
                continue
            row.action = "create"
            row.target_id = None
            row.message = self._new_category_message(row) or self.env._("New product.")

    def _barcode_taken_message(self, barcode, product):
        return self.env._(
            "The barcode %(barcode)s is already used by product %(product)s.",
            barcode=barcode,
            product=product.display_name,
        )

    def _combo_message(self):
        return self.env._(
            "A combo product needs its combo choices: create it in Odoo, the import only updates combo products."
        )

    def _new_category_message(self, row):
        path = row.refs.get("categ_path")
        if path:
            return self.env._("Creates the product category %(categ)s.", categ=" / ".join(path))
        return ""

    @api.model
    def _decide(self, row, product, action):
        """Set the row to update (or unchanged) / merge the product."""
        if row.refs.get("type") == "combo" and product.type != "combo":
            row.reject(self._combo_message())
            return
        vals = self._changed_vals(row, product)
        row.target_id = product.id
        if action == "update" and not vals and not row.refs.get("categ_path"):
            row.action = "unchanged"
            row.message = self.env._("No change.")
            return
        row.action = action
        changed = ", ".join(sorted(product._fields[key]._description_string(self.env) for key in vals))
        row.message = self._new_category_message(row) or (
            self.env._("Merged into %(product)s (same barcode): %(fields)s.", product=product.display_name,
                       fields=changed)
            if action == "merge"
            else self.env._("Updates %(fields)s.", fields=changed)
        )

    @api.model
    def _new_vals(self, row):
        """The product values the row gives (before comparing with a product)."""
        values, refs = row.values, row.refs
        vals = {}
        for key in ("default_code", "name", "barcode", "list_price", "standard_price", "is_storable", "active"):
            if values.get(key) is not None and values.get(key) != "":
                vals[key] = values[key]
        for ref in ("categ_id", "uom_id", "type"):
            if refs.get(ref):
                vals[ref] = refs[ref]
        return vals

    @api.model
    def _changed_vals(self, row, product):
        """The values of the row that differ from the product's."""
        digits = self.env["decimal.precision"].precision_get("Product Price")
        changed = {}
        for key, value in self._new_vals(row).items():
            current = product[key]
            if key in ("categ_id", "uom_id"):
                current = current.id
            if key in ("list_price", "standard_price"):
                if float_compare(current, value, precision_digits=digits):
                    changed[key] = value
            elif current != value:
                changed[key] = value
        return changed

    # ------------------------------------------------------------------
    # Write
    # ------------------------------------------------------------------
    @api.model
    def _before_write(self, job, rows):
        """Create the categories the rows name and that do not exist, parents first."""
        paths = {row.refs["categ_path"] for row in rows if row.refs.get("categ_path")}
        if not paths:
            return
        by_path, _by_name = self._category_index()
        Category = self.env["product.category"]
        depth = 1
        while True:
            level = sorted({path[:depth] for path in paths if len(path) >= depth})
            if not level:
                break
            todo = [path for path in level if normalise_name(" / ".join(path)) not in by_path]
            vals_list = []
            for path in todo:
                parent = by_path.get(normalise_name(" / ".join(path[:-1]))) if depth > 1 else False
                vals_list.append({"name": path[-1], "parent_id": parent or False})
            for path, category in zip(todo, Category.create(vals_list), strict=True):
                by_path[normalise_name(" / ".join(path))] = category.id
            depth += 1
        for row in rows:
            path = row.refs.pop("categ_path", None)
            if path:
                row.refs["categ_id"] = by_path[normalise_name(" / ".join(path))]

    @api.model
    def _write(self, job, rows):
        Product = self.env["product.product"].with_company(job.company_id).with_context(active_test=False)
        creates = [row for row in rows if row.action == "create"]
        if creates:
            vals_list = []
            for row in creates:
                vals = self._new_vals(row)
                vals.pop("active", None)
                vals_list.append(vals)
            products = Product.create(vals_list)
            archived = Product
            for row, product in zip(creates, products, strict=True):
                row.target_id = product.id
                if row.values.get("active") is False:
                    archived |= product
            archived.action_archive()
        # updates and merges: the products that get the same values are written together
        groups = {}
        products = Product.browse([row.target_id for row in rows if row.action in ("update", "merge")])
        products.fetch(["default_code", "name", "barcode", "categ_id", "uom_id", "list_price", "type", "active",
                        "is_storable", "standard_price"])
        for row in rows:
            if row.action not in ("update", "merge"):
                continue
            vals = self._changed_vals(row, Product.browse(row.target_id))
            if vals:
                groups.setdefault(tuple(sorted(vals.items())), []).append(row.target_id)
        for items, product_ids in groups.items():
            vals = dict(items)
            active = vals.pop("active", None)
            records = Product.browse(product_ids)
            if vals:
                records.write(vals)
            if active is True:
                records.action_unarchive()
            elif active is False:
                records.action_archive()
