/*
 * file.c - the volume the loader was loaded from, and whole-file reads.
 *
 * The firmware's FAT driver does the file system: LoadedImage (for our own
 * image handle) names the DeviceHandle the firmware loaded BOOTX64.EFI
 * from; its Simple File System protocol opens the volume's root directory
 * (UEFI 2.10, 13.4 "Simple File System Protocol", 13.5 "File Protocol").
 *
 * file_read takes a boot.cfg path ("/boot/kernel.elf"), turns it into a
 * UEFI path (UCS-2, backslashes), asks the size (GetInfo with
 * EFI_FILE_INFO), allocates pages of the caller's memory type and reads
 * in chunks of READ_CHUNK bytes. Each Read call counts in
 * bootinfo.disk_reads / disk_bytes (the firmware may read the disk in
 * smaller pieces underneath; the counters are the loader's calls). Chunks,
 * not one Read of the whole file: some firmware fails very large reads on
 * USB sticks. A file shorter than its directory entry says is an error, and
 * so is a directory named like the file (EFI_FILE_INFO.Attribute).
 *
 * file_open and file_read_at read parts of a file instead (kernel.c: the
 * ELF headers, then only the PT_LOAD file ranges, each straight to where
 * it belongs).
 */
#include <efi.h>

#include "loader.h"
#include <string.h>

#define READ_CHUNK      (1024 * 1024)
#define PATH_MAX16      128
#define FILE_INFO_BUF   512

/* "/boot/kernel.elf" -> L"\\boot\\kernel.elf"; -1 when it does not fit. */
static int to_uefi_path(const char *path, CHAR16 *out, size_t cap)
{
    size_t n = strlen(path);

    if (n + 1 > cap)
        return -1;
    for (size_t i = 0; i <= n; i++)
        out[i] = path[i] == '/' ? L'\\' : (CHAR16)(uint8_t)path[i];
    return 0;
}

/*
 * ld->loaded_image and ld->root from our image handle, silently; on an
 * error *what names the call that failed. debug.c uses it before the
 * volume step (and closes the root again); volume_open is the step.
 */
EFI_STATUS volume_root(struct loader *ld, const char **what)
{
    EFI_GUID image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
    EFI_GUID fs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
    EFI_FILE_IO_INTERFACE *fs;
    EFI_STATUS status;

    status = ld->bs->HandleProtocol(ld->image, &image_guid, (void **)&ld->loaded_image);
    if (EFI_ERROR(status)) {
        *what = "no LoadedImage protocol on our image";
        return status;
    }
    status = ld->bs->HandleProtocol(ld->loaded_image->DeviceHandle, &fs_guid, (void **)&fs);
    if (EFI_ERROR(status)) {
        *what = "the device we came from has no file system";
        return status;
    }
    status = fs->OpenVolume(fs, &ld->root);
    if (EFI_ERROR(status))
        *what = "cannot open the volume";
    return status;
}

EFI_STATUS volume_open(struct loader *ld)
{
    EFI_GUID path_guid = EFI_DEVICE_PATH_PROTOCOL_GUID;
    EFI_DEVICE_PATH *dp = NULL;
    const char *what;
    EFI_STATUS status = volume_root(ld, &what);
    char text[160];

    if (EFI_ERROR(status)) {
        say("volume: error, %s (%s)", what, status_text(status));
        return status;
    }
    ld->bs->HandleProtocol(ld->loaded_image->DeviceHandle, &path_guid, (void **)&dp);
    say("volume: %s", devpath_text(ld, dp, text, sizeof text));
    step_done("volume");
    return EFI_SUCCESS;
}

static EFI_STATUS open_file(struct loader *ld, const char *path, EFI_FILE_PROTOCOL **file)
{
    CHAR16 wide[PATH_MAX16];

    if (to_uefi_path(path, wide, PATH_MAX16) != 0)
        return EFI_INVALID_PARAMETER;
    return ld->root->Open(ld->root, file, wide, EFI_FILE_MODE_READ, 0);
}

int file_exists(struct loader *ld, const char *path)
{
    EFI_FILE_PROTOCOL *file;

    if (EFI_ERROR(open_file(ld, path, &file)))
        return 0;
    file->Close(file);
    return 1;
}

/*
 * The size of an open file. A directory is refused (EFI_ACCESS_DENIED, said
 * here): Open succeeds on one named like the file, and its "size" read as
 * the file would hand its directory entries on as a kernel or boot.cfg.
 */
static EFI_STATUS file_size(EFI_FILE_PROTOCOL *file, const char *path, uint64_t *size)
{
    EFI_GUID info_guid = EFI_FILE_INFO_ID;
    UINT64 buf[FILE_INFO_BUF / 8];          /* EFI_FILE_INFO and its name */
    UINTN len = sizeof buf;
    EFI_STATUS status = file->GetInfo(file, &info_guid, &len, buf);

    if (EFI_ERROR(status))
        return status;
    if (((EFI_FILE_INFO *)buf)->Attribute & EFI_FILE_DIRECTORY) {
        say("file: error, %s is a directory, not a file", path);
        return EFI_ACCESS_DENIED;
    }
    *size = ((EFI_FILE_INFO *)buf)->FileSize;
    return EFI_SUCCESS;
}

/* Read size bytes to dst in chunks; counts the calls in the boot info. */
static EFI_STATUS read_all(struct loader *ld, EFI_FILE_PROTOCOL *file, uint8_t *dst,
                           uint64_t size, uint64_t *got)
{
    *got = 0;
    while (*got < size) {
        UINTN n = size - *got > READ_CHUNK ? READ_CHUNK : (UINTN)(size - *got);
        EFI_STATUS status = file->Read(file, &n, dst + *got);

        ld->bi->disk_reads++;
        ld->bi->disk_bytes += n;
        if (EFI_ERROR(status))
            return status;
        if (n == 0)
            return EFI_END_OF_FILE;         /* shorter than its directory entry */
        *got += n;
    }
    return EFI_SUCCESS;
}

/*
 * Open the file at path for reading and give its size (from its directory
 * entry). The caller reads it with file_read_at and closes it
 * (file->Close). EFI_NOT_FOUND: no such file; EFI_ACCESS_DENIED: a
 * directory (said here).
 */
EFI_STATUS file_open(struct loader *ld, const char *path, EFI_FILE_PROTOCOL **file,
                     uint64_t *size)
{
    EFI_STATUS status = open_file(ld, path, file);

    if (EFI_ERROR(status))
        return status;
    status = file_size(*file, path, size);
    if (EFI_ERROR(status))
        (*file)->Close(*file);
    return status;
}

/*
 * Read len bytes from offset into dst: SetPosition, then as few Read calls
 * as READ_CHUNK allows. EFI_END_OF_FILE when the file ends first.
 */
EFI_STATUS file_read_at(struct loader *ld, EFI_FILE_PROTOCOL *file, uint64_t offset,
                        void *dst, uint64_t len)
{
    uint64_t got;
    EFI_STATUS status = file->SetPosition(file, offset);

    if (EFI_ERROR(status))
        return status;
    return read_all(ld, file, dst, len, &got);
}

/*
 * Read the whole file at path into new pages of the given BOOTINFO_MEM_*
 * type. On failure nothing stays allocated and the status says why
 * (EFI_NOT_FOUND: no such file; EFI_END_OF_FILE: shorter than its size;
 * EFI_ACCESS_DENIED: a directory, said here already);
 * the caller prints the line, since it knows the step.
 */
EFI_STATUS file_read(struct loader *ld, const char *path, uint32_t type,
                     uint64_t *phys, uint64_t *size)
{
    EFI_FILE_PROTOCOL *file;
    EFI_STATUS status = file_open(ld, path, &file, size);

    if (EFI_ERROR(status))
        return status;
    status = alloc_pages(ld, *size, type, phys);
    if (!EFI_ERROR(status)) {
        status = file_read_at(ld, file, 0, (uint8_t *)(uintptr_t)*phys, *size);
        if (EFI_ERROR(status))
            alloc_free(ld, *phys);
    }
    file->Close(file);
    return status;
}
