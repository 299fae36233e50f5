/** The page's single camera: open a device, list devices, stop. One stream at a time. */

export interface Camera {
  /** Opens the camera (the chosen device, else the front camera) and returns its stream. */
  open(deviceId?: string): Promise<MediaStream>;
  stop(): void;
  /** Video inputs; labels are empty until the user has granted access once. */
  devices(): Promise<MediaDeviceInfo[]>;
  /** The device of the open stream, if any. */
  readonly deviceId: string | undefined;
  /** Whether the open camera faces the user (its preview is then mirrored). */
  readonly facingUser: boolean;
}

export const cameraSupported = () => typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;

export function createCamera(): Camera {
  let stream: MediaStream | undefined;
  const track = () => stream?.getVideoTracks()[0];
  return {
    async open(deviceId) {
      if (!cameraSupported()) throw new Error('this page has no camera access (it needs https or localhost)');
      const current = track()?.getSettings().deviceId;
      if (stream && (!deviceId || deviceId === current)) return stream;
      this.stop();
      stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        // 640x480 is plenty for a face at arm's length and keeps each analysed frame cheap.
        video: deviceId ? { deviceId: { exact: deviceId }, width: { ideal: 640 }, height: { ideal: 480 } } : { facingMode: 'user', width: { ideal: 640 }, height: { ideal: 480 } },
      });
      return stream;
    },
    stop() {
      stream?.getTracks().forEach((t) => t.stop());
      stream = undefined;
    },
    async devices() {
      if (!cameraSupported()) return [];
      return (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
    },
    get deviceId() {
      return track()?.getSettings().deviceId;
    },
    get facingUser() {
      // Desktop webcams report no facingMode; they face the user too.
      return track()?.getSettings().facingMode !== 'environment';
    },
  };
}
