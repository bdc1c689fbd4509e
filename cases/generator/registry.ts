/**
 * The nine bundled cases' image descriptions, in collection order.
 */
import type { CaseDefinition } from "./case-def";
import { caseDefinition as active } from "../emh-thalassemia-active/generate";
import { caseDefinition as fatty } from "../emh-thalassemia-fatty/generate";
import { caseDefinition as iron } from "../emh-thalassemia-iron/generate";
import { caseDefinition as mixed } from "../emh-thalassemia-mixed/generate";
import { caseDefinition as epidural } from "../emh-epidural-thoracic/generate";
import { caseDefinition as myelofibrosis } from "../emh-sclerosing-myelofibrosis/generate";
import { caseDefinition as plasmacytoma } from "../plasmacytoma-leg/generate";
import { caseDefinition as myeloma } from "../myeloma-extramedullary-paraspinal/generate";
import { caseDefinition as lipoma } from "../lipoma-intradural-thoracic/generate";

export const CASE_DEFINITIONS: readonly CaseDefinition[] = [active, fatty, iron, mixed, epidural, myelofibrosis, plasmacytoma, myeloma, lipoma];
