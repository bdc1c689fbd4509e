import type { Phase } from "./lifecycle";

export const phaseLabels: Record<Phase, string> = {
  draft: "Draft",
  scheduled: "Scheduled",
  open: "Open",
  closed: "Closed · awaiting reveal",
  revealed: "Revealed",
};

/** How a countdown names the moment a case enters each phase. */
export const transitionLabels: Record<Phase, string> = {
  draft: "Draft",
  scheduled: "Scheduled",
  open: "Opens",
  closed: "Closes",
  revealed: "Answer revealed",
};

export const sexLabels: Record<string, string> = { F: "Female", M: "Male", O: "Other", U: "Unknown" };

/** "30-39 F" style one-liner for a case's patient. */
export function patientLine(ageBucket: string | null, sex: string | null): string {
  return [ageBucket ? `${ageBucket} y` : undefined, sex ? sexLabels[sex] ?? sex : undefined].filter(Boolean).join(" · ");
}

export const regionLabels: Record<string, string> = {
  thorax: "Thorax",
  "thoracic-spine": "Thoracic spine",
  abdomen: "Abdomen",
  "lower-limb": "Lower limb",
};

export function regionLabel(region: string | null): string {
  return region ? regionLabels[region] ?? region : "";
}
