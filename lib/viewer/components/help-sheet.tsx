"use client";

import { useEffect, useRef } from "react";
import { HOTKEYS, keyLabel, type Hotkey } from "../hotkeys";
import { TOOL_BINDINGS } from "../tools";
import styles from "./viewer.module.css";

const GROUPS: Hotkey["group"][] = ["Navigation", "Tools", "Annotate", "Selected shape", "Window", "View", "Cine", "Other"];

/** The "?" sheet: rendered from the same tables that drive the keys and the mouse. */
export function HelpSheet({ onClose, hotkeys = HOTKEYS }: { onClose: () => void; hotkeys?: readonly Hotkey[] }) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  return (
    <div className={styles.help} onClick={onClose}>
      <div
        className={styles.helpBody}
        role="dialog"
        aria-modal="true"
        aria-labelledby="viewer-help-title"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          // The close button is the only control inside: keep focus in the dialog while it is open.
          if (e.key === "Tab") {
            e.preventDefault();
            closeRef.current?.focus();
          }
        }}
      >
        <div className={styles.helpHeader}>
          <h2 id="viewer-help-title" className={styles.helpTitle}>
            Viewer shortcuts
          </h2>
          <button ref={closeRef} type="button" className={styles.button} onClick={onClose} aria-label="Close help" title="Close (Esc)">
            ✕
          </button>
        </div>
        <div className={styles.helpColumns}>
          {GROUPS.filter((group) => hotkeys.some((h) => h.group === group)).map((group) => (
            <section key={group} className={styles.helpGroup}>
              <h3>{group}</h3>
              {hotkeys.filter((h) => h.group === group).map((h) => (
                <div key={h.command} className={styles.helpRow}>
                  <span>{h.label}</span>
                  <span>
                    {h.keys.map((k) => (
                      <kbd key={k} className={styles.kbd}>
                        {keyLabel(k)}
                      </kbd>
                    ))}
                  </span>
                </div>
              ))}
            </section>
          ))}
          <section className={styles.helpGroup}>
            <h3>Mouse and touch</h3>
            {TOOL_BINDINGS.map((b) => (
              <div key={b.input} className={styles.helpRow}>
                <span>{b.describe}</span>
                <span className={styles.kbd}>{b.input}</span>
              </div>
            ))}
          </section>
        </div>
      </div>
    </div>
  );
}
