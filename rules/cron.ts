// Pipelines schedules' cron patterns, the one rule the provider's check and the emulator both follow.
// Bitbucket takes Quartz-style patterns with second precision, seven fields (the spec's example:
// `0 0 12 * * ? *`, 12:00 UTC every day): seconds minutes hours day-of-month month day-of-week year.
// Schedules run at most hourly (Bitbucket's UI offers hourly, daily and weekly), so the seconds are 0
// and the minutes one number; exactly one of day-of-month and day-of-week is `?` (Quartz's rule).

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface Field {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const HOURS: Field = { name: "hours", min: 0, max: 23 };
const DAY_OF_MONTH: Field = { name: "day-of-month", min: 1, max: 31 };
const MONTH: Field = { name: "month", min: 1, max: 12, names: MONTHS };
const DAY_OF_WEEK: Field = { name: "day-of-week", min: 1, max: 7, names: DAYS };
const YEAR: Field = { name: "year", min: 1970, max: 2199 };

function value(field: Field, text: string): boolean {
  const named = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return true;
  if (!/^[0-9]{1,4}$/.test(text)) return false;
  const n = Number(text);
  return n >= field.min && n <= field.max;
}

/** `*`, a value, a range `a-b`, either with a step `/n`, or a comma-separated list of those. */
function fieldOk(field: Field, text: string): boolean {
  return text.split(",").every((part) => {
    const [range = "", step, ...rest] = part.split("/");
    if (rest.length > 0 || (step !== undefined && !/^[1-9][0-9]{0,3}$/.test(step))) return false;
    if (range === "*") return true;
    const [from = "", to, ...more] = range.split("-");
    return more.length === 0 && value(field, from) && (to === undefined || value(field, to));
  });
}

export const CRON_FORM =
  "a 7-field cron pattern `seconds minutes hours day-of-month month day-of-week year` with seconds 0, minutes one number 0-59 (schedules run at most hourly) and `?` in exactly one of day-of-month and day-of-week, e.g. `0 0 2 * * ? *` (02:00 UTC every day)";

/** Why Bitbucket would refuse the pattern, or undefined when it takes it. */
export function cronRefusal(pattern: string): string | undefined {
  const fields = pattern.trim().split(/\s+/);
  if (fields.length !== 7) return `must be ${CRON_FORM}; it has ${fields.length} field(s)`;
  const [seconds, minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields as [string, string, string, string, string, string, string];
  if (seconds !== "0") return `must be ${CRON_FORM}; its seconds field must be 0`;
  if (!/^[0-9]{1,2}$/.test(minutes) || Number(minutes) > 59) return `must be ${CRON_FORM}; its minutes field must be one number 0-59`;
  if ((dayOfMonth === "?") === (dayOfWeek === "?")) return `must be ${CRON_FORM}; exactly one of day-of-month and day-of-week must be ?`;
  for (const [field, text] of [
    [HOURS, hours],
    [DAY_OF_MONTH, dayOfMonth],
    [MONTH, month],
    [DAY_OF_WEEK, dayOfWeek],
    [YEAR, year],
  ] as const)
    if (!(text === "?" && (field === DAY_OF_MONTH || field === DAY_OF_WEEK)) && !fieldOk(field, text))
      return `must be ${CRON_FORM}; its ${field.name} field is not valid`;
  return undefined;
}

/** The pattern as Bitbucket keeps it: fields separated by one space. */
export const normalCron = (pattern: string) => pattern.trim().split(/\s+/).join(" ");
