import { CashierSelectionPopup } from "@pos_hr/app/components/popups/cashier_selection_popup/cashier_selection_popup";

/** pos_hr's cashier list, titled for a manager who allows a price below the resale floor. */
export class ManagerSelectionPopup extends CashierSelectionPopup {
    static template = "distribution_pos.ManagerSelectionPopup";
}
