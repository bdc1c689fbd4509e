/**
 * Word tables the grader relies on. They are data so that a reviewer can read what the grader
 * knows without reading how it matches; add a row here rather than a special case in code.
 */

/**
 * Abbreviations residents type, expanded before matching. Keys are lower case, without dots
 * ("E.M.H." is collapsed to "emh" first). Kept to radiology/haematology usage in this library;
 * ambiguous ones (MS, AML) are left out on purpose.
 */
export const ABBREVIATIONS: Readonly<Record<string, string>> = {
  emh: "extramedullary hematopoiesis",
  eh: "extramedullary hematopoiesis",
  emd: "extramedullary disease",
  emp: "extramedullary plasmacytoma",
  sep: "solitary extramedullary plasmacytoma",
  spb: "solitary plasmacytoma of bone",
  mm: "multiple myeloma",
  semht: "sclerosing extramedullary hematopoietic tumor",
  idem: "intradural extramedullary",
  nf: "neurofibroma",
  nf1: "neurofibromatosis",
  nst: "nerve sheath tumor",
  pnst: "peripheral nerve sheath tumor",
  mpnst: "malignant peripheral nerve sheath tumor",
  tb: "tuberculosis",
  mets: "metastases",
  met: "metastasis",
  nhl: "non hodgkin lymphoma",
  dlbcl: "diffuse large b cell lymphoma",
  sel: "spinal epidural lipomatosis",
  sea: "spinal epidural abscess",
  seh: "spinal epidural hematoma",
  edh: "epidural hematoma",
  pmf: "primary myelofibrosis",
  mf: "myelofibrosis",
  tdt: "transfusion dependent thalassemia",
  scd: "sickle cell disease",
  ups: "undifferentiated pleomorphic sarcoma",
  mfh: "malignant fibrous histiocytoma",
  cml: "chronic myeloid leukemia",
  lps: "liposarcoma",
  lms: "leiomyosarcoma",
};

/** British to American spellings, applied inside tokens (both answer and key go through them). */
export const SPELLING_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/haem/g, "hem"],
  [/aemia/g, "emia"],
  [/^leuc(?=emia)/, "leuk"],
  [/^oedem/, "edem"],
  [/^oesophag/, "esophag"],
  [/^paed/, "ped"],
  [/^tumour/, "tumor"],
  [/^favour/, "favor"],
  [/^plasmocyt/, "plasmacyt"],
  // Adjective to noun: "haematopoietic tissue" names the same thing as "haematopoiesis".
  [/poi?etic$/, "poiesis"],
];

/**
 * Words that mean the same for grading, mapped to one form. Applied after spelling and plural
 * rules, so the left side is already American and singular.
 */
export const CANONICAL: Readonly<Record<string, string>> = {
  hemopoiesis: "hematopoiesis",
  hematopoesis: "hematopoiesis",
  paravertebral: "paraspinal",
  paraspinous: "paraspinal",
  prevertebral: "paraspinal",
  extradural: "epidural",
  fat: "fatty",
  lipomatous: "fatty",
  heterogeneous: "mixed",
  heterogenous: "mixed",
  hemosiderin: "iron",
  siderotic: "iron",
  burnt: "inactive",
  burned: "inactive",
  burntout: "inactive",
  quiescent: "inactive",
  metastatic: "metastasis",
  metastase: "metastasis",
  tuberculous: "tuberculosis",
  myelomatous: "myeloma",
  thalassemic: "thalassemia",
  extraosseus: "extraosseous",
};

/** Prefixes typed as separate words ("extra medullary", "extra-medullary"): joined to the next word. */
export const JOINABLE_PREFIXES: ReadonlySet<string> = new Set(["extra", "intra", "para", "peri", "retro", "juxta", "sub", "epi"]);

/**
 * Words with no diagnostic content: hedges, grammar, and connectors. Dropped before matching.
 * Negators and rank markers are read from the text before these words are dropped.
 */
export const FILLER_WORDS: ReadonlySet<string> = new Set(
  (
    "a an the of with in on at to for and or is are was be been being it its it's this that these those as by from into " +
    "onto than likely most more probably probable possibly possible consistent compatible suggestive suspicious suspect " +
    "suspected suspicion favor favored favoring think believe i we my our would say diagnosis dx ddx impression finding " +
    "appearance represent representing case patient pattern type component laden loaded rich containing contain " +
    "deposition deposit replacement replaced change related due secondary caused causing known look like appear appearing " +
    "seen given setting history picture feature classic typical query question maybe perhaps could may might should must " +
    "have ha had there here extending extension involving involvement less very quite some any all both either few " +
    "several out s t etc rather also which who arising arise area region presumed presumably definitely favouring " +
    // Negators: read by the splitter before this list applies; they name nothing themselves.
    "not no neither nor unlikely doubt doubtful never excluded exclude rule ruled don isn isnt dont without"
  ).split(" "),
);

/**
 * Words that describe where or what a finding looks like but name no disease. An answer made only
 * of these ("paraspinal mass", "fatty intradural lesion") is too vague to grade automatically.
 * Pattern descriptors (active, fatty, iron, mixed) are here too: alone they are not a diagnosis.
 */
export const GENERIC_WORDS: ReadonlySet<string> = new Set(
  (
    "mass lesion tumor neoplasm neoplastic growth nodule soft tissue paraspinal epidural intradural intraspinal spinal " +
    "spine thoracic lumbar cervical sacral bilateral unilateral posterior anterior dorsal ventral lateral mediastinal " +
    "retroperitoneal subcutaneous leg thigh calf limb compression compressing cord myelopathy canal benign malignant " +
    "lobulated large small new enhancing solid rib vertebral vertebra dark bright hypointense hyperintense " +
    "fatty iron active inactive mixed sclerosing old chronic solitary primary disease process infiltrate infiltration " +
    "collection thickening abnormality pathology cell multiple multifocal multilevel level smooth well defined " +
    "circumscribed marrow signal dense density t1 t2 hyperdense hypodense low high intensity attenuation heterogeneous " +
    "homogeneous"
  ).split(" "),
);

/** Word endings that mark a named disease or entity ("-oma", "-itis", "-osis", "-cele", ...). */
export const DIAGNOSIS_NOUN = /(?:oma|itis|osis|cele|emia|cyst|abscess|sarcoid)$/;
