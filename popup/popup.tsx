import { render } from "preact";
import { scrollTo, send, targetTabId } from "./api.js";
import { PopupApp } from "./PopupApp.js";
import "./style.css";

const root = document.getElementById("app");
if (root) {
  void targetTabId().then((tabId) =>
    render(<PopupApp send={send} tabId={tabId} scrollTo={scrollTo} />, root),
  );
}
