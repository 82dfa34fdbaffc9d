// The app's accessible controls: React Aria Components with our labels and styles.
import {
  Button as AriaButton,
  type ButtonProps,
  FieldError,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Select as AriaSelect,
  SelectValue,
  Text,
  TextArea,
  TextField,
} from "react-aria-components";

export function Button({ variant = "primary", ...props }: ButtonProps & { variant?: "primary" | "secondary" | "danger" | "quiet" }) {
  return <AriaButton {...props} className={`btn btn-${variant}`} />;
}

interface FieldProps {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  type?: string;
  description?: string;
  isRequired?: boolean;
  autoComplete?: string;
  multiline?: boolean;
  min?: string | number;
  max?: string | number;
  step?: string | number;
}

export function Field({ label, name, value, onChange, type = "text", description, isRequired, autoComplete, multiline, min, max, step }: FieldProps) {
  return (
    <TextField
      className="field"
      name={name}
      value={value}
      onChange={onChange}
      type={type}
      isRequired={isRequired}
      autoComplete={autoComplete}
    >
      <Label>{label}</Label>
      {multiline ? <TextArea rows={3} /> : <Input min={min} max={max} step={step} />}
      {description ? <Text slot="description" className="hint">{description}</Text> : null}
      <FieldError className="field-error" />
    </TextField>
  );
}

export interface Choice {
  id: string;
  label: string;
}

export function Select({ label, value, onChange, choices, name }: { label: string; value: string; onChange: (v: string) => void; choices: Choice[]; name?: string }) {
  return (
    <AriaSelect
      className="field select"
      selectedKey={value}
      onSelectionChange={(key) => onChange(String(key))}
      name={name}
    >
      <Label>{label}</Label>
      <AriaButton className="select-button">
        <SelectValue />
        <span aria-hidden="true">▾</span>
      </AriaButton>
      <Popover className="popover">
        <ListBox className="listbox">
          {choices.map((c) => (
            <ListBoxItem key={c.id} id={c.id} className="option" textValue={c.label}>
              {c.label}
            </ListBoxItem>
          ))}
        </ListBox>
      </Popover>
    </AriaSelect>
  );
}

export { Alert, Badge } from "./alert";
