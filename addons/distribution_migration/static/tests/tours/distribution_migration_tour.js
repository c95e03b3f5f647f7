import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";

// The legacy ERP's customer export, as the implementer receives it: Chinese headers, KH- codes (the
// profile maps KH- away), a full-width code, phones with blanks, a store phone column whose header the
// aliases do not know, and three dirty rows (no name, unknown tier, negative credit limit).
const LEGACY_CSV = [
    "客户编码,客户名称,渠道级别,上级客户,销售区域,门店电话,信用额度",
    "KH-TS001,杭州拱墅优品便利店,MST,KH-MIG-DL,MHZ,138 0013 8001,20000",
    "ＫＨ－ＴＳ００２,杭州上城邻里超市,MST,KH-MIG-DL,MHZ,138-0013-8002,15000",
    "KH-TS003,,MST,KH-MIG-DL,MHZ,13800138003,10000",
    "KH-TS004,杭州滨江星光便利店,批发商,KH-MIG-DL,MHZ,13800138004,10000",
    "KH-TS005,杭州西湖文三路便利店,MST,KH-MIG-DL,MHZ,13800138005,-5000",
    "KH-TS006,杭州余杭良渚便利店,MST,KH-MIG-DL,MHZ,13800138006,8000",
].join("\r\n");

// An implementer maps a legacy member file, reviews the dry run, checks the rejected rows file and imports.
registry.category("web_tour.tours").add("distribution_migration_tour", {
    // the Imports menu's action (with every addon installed the Channel menu bar overflows into "More";
    // the menu itself is checked by the test)
    url: "/odoo/action-distribution_migration.distribution_import_job_action",
    steps: () => [
        {
            content: "Start a new import",
            trigger: ".o_list_view .o_list_button_add",
            run: "click",
        },
        {
            content: "Choose the profile of the legacy ERP",
            trigger: ".o_form_view .o_field_widget[name=profile_id] input",
            run: "edit Legacy ERP",
        },
        {
            content: "The members profile",
            trigger: ".o-autocomplete--dropdown-item:contains(Legacy ERP – members (tour))",
            run: "click",
        },
        {
            content: "The target follows the profile",
            trigger: ".o_form_view .o_field_widget[name=target]:contains(Channel Members)",
        },
        {
            content: "Upload the legacy file",
            trigger: ".o_form_view .o_field_widget[name=file] .o_select_file_button",
            async run() {
                const input = document.querySelector(".o_form_view .o_field_widget[name=file] input[type=file]");
                const file = new File([LEGACY_CSV], "legacy_customers.csv", { type: "text/csv" });
                const transfer = new DataTransfer();
                transfer.items.add(file);
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The file is attached",
            trigger: ".o_form_view .o_field_widget[name=file] input.o_input:value(legacy_customers.csv)",
        },
        {
            content: "Read the file",
            trigger: ".o_form_view .o_form_statusbar button[name=action_read_file]:contains(Read File)",
            run: "click",
        },
        {
            content: "The columns are listed with samples; the code column is recognised by its alias",
            trigger: ".o_import_job_columns .o_data_row:has(.o_data_cell[name=header]:contains(客户编码)) .o_data_cell[name=field_id]:contains(Member Code)",
        },
        {
            content: "The store phone column is not recognised: map it",
            trigger: ".o_import_job_columns .o_data_row:has(.o_data_cell[name=header]:contains(门店电话)) .o_data_cell[name=sample]:contains(138 0013 8001)",
        },
        {
            content: "Edit the field of the store phone column",
            trigger: ".o_import_job_columns .o_data_row:has(.o_data_cell[name=header]:contains(门店电话)) .o_data_cell[name=field_id]",
            run: "click",
        },
        {
            content: "Search the phone field",
            trigger: ".o_import_job_columns .o_selected_row .o_field_widget[name=field_id] input",
            run: "edit Phone",
        },
        {
            content: "Choose Phone",
            trigger: ".o-autocomplete--dropdown-item:contains(Phone (phone))",
            run: "click",
        },
        {
            content: "Run the dry run",
            trigger: ".o_form_view .o_form_statusbar button[name=action_dry_run]:contains(Dry Run)",
            run: "click",
        },
        {
            content: "The dry run is done: nothing is written yet",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Checked)",
        },
        {
            content: "Look at the result",
            trigger: ".o_form_view .o_notebook .nav-link:contains(Result)",
            run: "click",
        },
        {
            content: "6 rows read",
            trigger: ".o_import_job_counts .o_field_widget[name=rows_read]:contains(6)",
        },
        {
            content: "3 to create",
            trigger: ".o_import_job_counts .o_field_widget[name=rows_create]:contains(3)",
        },
        {
            content: "3 rejected",
            trigger: ".o_import_job_counts .o_field_widget[name=rows_reject]:contains(3)",
        },
        {
            content: "Each rejected row is listed with its row number and reason",
            trigger: ".o_import_job_rejects .o_data_row:has(.o_data_cell[name=row]:contains(4)) .o_data_cell[name=reason]:not(:empty)",
        },
        {
            content: "The row with the unknown tier too",
            trigger: ".o_import_job_rejects .o_data_row .o_data_cell[name=row]:contains(5)",
        },
        {
            content: "The rejected rows file is offered for download",
            trigger: ".o_form_view .o_field_widget[name=rejected_file] a:contains(rejected)",
        },
        {
            content: "Download Rejected Rows: the button's link serves the Excel file",
            trigger: ".o_form_view .o_form_statusbar button[name=action_download_rejected]:contains(Download Rejected Rows)",
            async run() {
                const jobId = parseInt(window.location.pathname.split("/").pop());
                const action = await rpc("/web/dataset/call_kw/distribution.import.job/action_download_rejected", {
                    model: "distribution.import.job",
                    method: "action_download_rejected",
                    args: [[jobId]],
                    kwargs: {},
                });
                const expected = `/web/content/distribution.import.job/${jobId}/rejected_file/`;
                if (action.type !== "ir.actions.act_url" || !action.url.startsWith(expected) || !action.url.includes("download=true")) {
                    throw new Error(`Unexpected download action: ${JSON.stringify(action)}`);
                }
                const response = await fetch(action.url);
                const type = response.headers.get("Content-Type") || "";
                const disposition = response.headers.get("Content-Disposition") || "";
                const body = await response.arrayBuffer();
                if (!response.ok || !type.includes("spreadsheetml") || !disposition.includes("attachment") || body.byteLength < 100) {
                    throw new Error(`The rejected rows file cannot be downloaded: ${response.status} ${type} ${body.byteLength} bytes`);
                }
                document.body.classList.add("o_import_rejected_downloaded");
            },
        },
        {
            content: "The rejected rows file was downloaded",
            trigger: "body.o_import_rejected_downloaded",
        },
        {
            content: "Import",
            trigger: ".o_form_view .o_form_statusbar button[name=action_import]",
            run: "click",
        },
        {
            content: "Confirm the import",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The import is done",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Done)",
        },
        {
            content: "3 members created",
            trigger: ".o_import_job_counts:contains(Created) .o_field_widget[name=rows_create]:contains(3)",
        },
        {
            content: "The summary is logged in the chatter",
            trigger: ".o-mail-Message:contains(6 rows read)",
        },
    ],
});
