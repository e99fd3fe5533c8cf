import { render } from "preact";
import { scrollTo, send, targetTabId } from "./api.js";
import { PopupApp } from "./PopupApp.js";
import "./style.css";

// Where the time to a painted report goes (the bench reads these): the script has started…
performance.mark("parallax-popup-script");
const root = document.getElementById("app");
if (root) {
  void targetTabId().then((tabId) =>
    render(<PopupApp send={send} tabId={tabId} scrollTo={scrollTo} />, root),
  );
}
