// Starts GOV.UK Frontend's components (error summary focus, header menu, ...). Every page works without it.
import { initAll } from "./govuk-frontend.min.js";

initAll();
