// Loaded first in <body>, as GOV.UK Frontend asks: marks the page as able to run its JavaScript.
// A file rather than the usual inline script, because Resolve's Content Security Policy allows no inline script.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
