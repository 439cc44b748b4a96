/* Times in the viewer's zone from the next page on (the profile's zone wins). A file, not an inline
   script, so the Content-Security-Policy can refuse every inline script. */
try {
  document.cookie = "faro_tz=" + Intl.DateTimeFormat().resolvedOptions().timeZone + "; path=/; max-age=31536000; samesite=lax";
} catch (e) {}
