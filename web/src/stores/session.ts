/** Who is signed in (the token of POST /local/token), and the fiscal year being viewed. */
import { defineStore } from 'pinia';
import type { Role } from '../api/types';

const KEY = 'jixiao.session';
/** The demo's year (the Xiamen 2020 report); the header changes it. */
export const DEFAULT_YEAR = 2020;

interface Saved {
  token: string;
  role: Role;
  deptId?: string;
  sub: string;
  expiresAt: string;
  year: number;
}

function load(): Saved | undefined {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Saved | null;
    return saved && Date.parse(saved.expiresAt) > Date.now() ? saved : undefined;
  } catch {
    return undefined;
  }
}

export const useSession = defineStore('session', {
  state: () => {
    const saved = load();
    return {
      token: saved?.token ?? '',
      role: saved?.role as Role | undefined,
      deptId: saved?.deptId,
      sub: saved?.sub ?? '',
      expiresAt: saved?.expiresAt ?? '',
      year: saved?.year ?? DEFAULT_YEAR,
    };
  },
  getters: {
    signedIn: (s) => s.token !== '',
    /** finance and performance read every department. */
    bureau: (s) => s.role === 'finance' || s.role === 'performance',
  },
  actions: {
    signIn(p: { token: string; role: Role; deptId?: string; sub: string; expiresAt: string }) {
      Object.assign(this, p);
      this.save();
    },
    setYear(year: number) {
      this.year = year;
      this.save();
    },
    save() {
      if (!this.token || !this.role) return;
      const saved: Saved = { token: this.token, role: this.role, deptId: this.deptId, sub: this.sub, expiresAt: this.expiresAt, year: this.year };
      localStorage.setItem(KEY, JSON.stringify(saved));
    },
    signOut() {
      localStorage.removeItem(KEY);
      this.token = '';
      this.role = undefined;
      this.deptId = undefined;
      this.sub = '';
    },
  },
});
