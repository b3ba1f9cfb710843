import { organizerChoices } from "~/catalog/organizers";

export const organizerChoicesHandler = () => organizerChoices();
