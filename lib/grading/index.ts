export { answerKeySchema, parseAnswerKeyDocument, type AnswerKey, type AnswerKeyInput, type AnswerKeyParseResult } from "./answer-key";
export { gradeAnswer, gradeSubmission, VERDICT_SCORES, type GradeResult, type Verdict } from "./grade";
