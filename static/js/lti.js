// The deep-linking response goes back to the platform by itself (a plain button without JS).
document.querySelectorAll("form[data-autosubmit]").forEach((form) => form.submit());
// Dynamic registration is done: tell the platform's page, which closes its frame or window.
if (document.querySelector("[data-lti-close]")) {
  (window.opener || window.parent).postMessage({ subject: "org.imsglobal.lti.close" }, "*");
}
