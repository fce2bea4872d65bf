/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_VITRINE_STORE_ID?: string;
  readonly VITE_VITRINE_API: string;
  readonly VITE_VITRINE_CDN: string;
  readonly VITE_VITRINE_ORIGIN: string;
}
