/** What an adverse-event report may say: shared by the API's schemas and the desk's form. */
export const AEFI_SEVERITIES = ['MINOR', 'SERIOUS', 'SEVERE'] as const;
export type AefiSeverity = (typeof AEFI_SEVERITIES)[number];

/** The symptoms a desk may report; anything else goes in the notes with OTHER. */
export const AEFI_SYMPTOMS = [
  'INJECTION_SITE_PAIN',
  'INJECTION_SITE_SWELLING',
  'FEVER',
  'CHILLS',
  'HEADACHE',
  'FATIGUE',
  'MUSCLE_PAIN',
  'JOINT_PAIN',
  'NAUSEA',
  'VOMITING',
  'DIARRHOEA',
  'DIZZINESS',
  'FAINTING',
  'RASH',
  'ITCHING',
  'FACIAL_SWELLING',
  'BREATHING_DIFFICULTY',
  'CHEST_PAIN',
  'PALPITATIONS',
  'SEIZURE',
  'LOSS_OF_CONSCIOUSNESS',
  'ANAPHYLAXIS',
  'OTHER',
] as const;
export type AefiSymptom = (typeof AEFI_SYMPTOMS)[number];
