// Plain labelled inputs for the first page: no React Aria, so the first page stays small.
import { useId } from "react";

export function NativeField({ label, name, value, onChange, type = "text", description, min, max }: {
  label: string; name: string; value: string; onChange: (v: string) => void; type?: string; description?: string; min?: number; max?: number;
}) {
  const id = useId();
  return (
    <div className="field">
      <label className="label" htmlFor={id}>{label}</label>
      <input id={id} name={name} type={type} value={value} min={min} max={max} aria-describedby={description ? `${id}-d` : undefined} onChange={(e) => onChange(e.target.value)} />
      {description ? <span id={`${id}-d`} className="hint">{description}</span> : null}
    </div>
  );
}
