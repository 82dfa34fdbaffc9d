import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import en from "./en";
import de from "./de";

export const LANGUAGES = ["en", "de"] as const;
const stored = typeof localStorage !== "undefined" ? localStorage.getItem("hb.lang") : null;
const preferred = stored ?? (typeof navigator !== "undefined" ? navigator.language.slice(0, 2) : "en");

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, de: { translation: de } },
  lng: LANGUAGES.includes(preferred as "en") ? preferred : "en",
  fallbackLng: "en",
  interpolation: { escapeValue: false },
});

export function setLanguage(lang: string): void {
  localStorage.setItem("hb.lang", lang);
  void i18n.changeLanguage(lang);
  document.documentElement.lang = lang;
}

export default i18n;
