// The name of the profile the local colony makes active (kept apart so views can import it cheaply).
export const LOCAL_PROFILE_NAME = 'Local colony';
