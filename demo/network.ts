/** Online/offline state, as the browser reports it, kept visible in a badge. */

export function watchNetwork(badge: HTMLElement): void {
  const show = () => {
    const online = navigator.onLine;
    badge.textContent = online ? 'Online' : 'Offline';
    badge.dataset.state = online ? 'online' : 'offline';
    badge.title = online ? 'The device is online' : 'No network: comparing still works; platform sync does not';
  };
  addEventListener('online', show);
  addEventListener('offline', show);
  show();
}
