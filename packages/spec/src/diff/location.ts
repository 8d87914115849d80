/** One step into a schema: a property, the array's items, `additionalProperties`, or `not`. */
type Step = { readonly prop: string } | "items" | "additional" | "not";

/**
 * Where a change is, as the report names it, kept as segments and rendered once (`toString`): label
 * words (`response`, `200`, `application/json`), whether the place is a media type's body schema, and
 * the steps into the schema.
 *
 *   query parameter per_page                      a parameter (its schema's root)
 *   query parameter filter.state                  a property of a parameter's schema
 *   response 200 application/json: (body)         the root of a body schema
 *   response 200 application/json: machines[].name
 *   response 200 application/json: (body) (not)   `not` of the body root
 *   … meta.{*}                                    `additionalProperties`
 */
export class Location {
  private constructor(
    private readonly words: readonly string[],
    private readonly isBody: boolean,
    private readonly steps: readonly Step[],
  ) {}

  static of(...words: string[]): Location {
    return new Location(words, false, []);
  }

  /** More label words (`response 200` → `response 200 header ETag`). */
  label(...words: string[]): Location {
    return new Location([...this.words, ...words], this.isBody, this.steps);
  }

  /** The body schema of the media type this location names. */
  body(): Location {
    return new Location(this.words, true, this.steps);
  }

  prop(name: string): Location {
    return this.step({ prop: name });
  }

  items(): Location {
    return this.step("items");
  }

  additional(): Location {
    return this.step("additional");
  }

  not(): Location {
    return this.step("not");
  }

  toString(): string {
    let out = this.words.join(" ");
    let after: "words" | "colon" | "not" | "step" = "words";
    if (this.isBody) {
      out += ":";
      after = "colon";
    }
    for (const step of this.steps) {
      if (step === "not") {
        out += after === "colon" ? " (body) (not)" : " (not)";
        after = "not";
        continue;
      }
      const spaced = after === "colon" || after === "not";
      if (step === "items") out += after === "colon" ? " []" : "[]";
      else if (step === "additional") out += spaced ? " {*}" : ".{*}";
      else out += spaced ? ` ${step.prop}` : `.${step.prop}`;
      after = "step";
    }
    return after === "colon" ? `${out} (body)` : out;
  }

  private step(step: Step): Location {
    return new Location(this.words, this.isBody, [...this.steps, step]);
  }
}
