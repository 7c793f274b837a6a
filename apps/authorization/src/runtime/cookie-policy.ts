/** Whether the app's cookies are `Secure`: when its public URL is HTTPS (a plain-HTTP development URL cannot send them back). */
export class CookiePolicy {
  readonly secure: boolean;

  constructor(publicUrl: string) {
    this.secure = publicUrl.startsWith('https://');
  }
}
