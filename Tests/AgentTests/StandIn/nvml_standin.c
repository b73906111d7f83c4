/*
 * A stand-in for libnvidia-ml.so.1, so the agent's tests and benchmark run without a GPU.
 *
 * Every value is a reading of one NVIDIA H200 (driver 580.159.04), from
 * shared/fixtures/h200-nvml/nvml.json and nvidia-smi-q.txt (copied to Tests/Fixtures/h200-nvml/).
 * GPU 0 returns exactly those readings; GPU i > 0 differs only in its identity (the UUID's last
 * digits and the PCI device number), so the per-GPU labels can be told apart.
 *
 * Built by the tests and the benchmark with `clang -shared -fPIC` into a scratch directory
 * (Sources/Agent/StandInLibrary.swift). Compile-time switches:
 *   -DNVML_STANDIN_GPUS=N      number of GPUs (default 1)
 *   -DNVML_STANDIN_PARTIAL     an older driver: no nvmlDeviceGetCurrentClocksEventReasons, no
 *                              nvmlDeviceGetCurrentClocksThrottleReasons, no nvmlDeviceGetFieldValues,
 *                              no nvmlDeviceGetMemoryInfo_v2 (the symbols are absent, not failing)
 *   -DNVML_STANDIN_COSTS       every getter burns the CPU time it costs on the real card (median
 *                              CPU µs under load, nvml-cost-load.json), so a benchmark measures
 *                              what the agent would cost there
 *
 * Test controls (not part of NVML):
 *   nvml_standin_inject_xid(gpu, xid)   queue an XID critical-error event for GPU `gpu`
 *   nvml_standin_calls(name)            how many times the NVML function `name` was called
 *   NVML_STANDIN_XID_FILE=PATH          for an agent in another process: a file "GPU XID" at PATH
 *                                       is read (and deleted) by the next event wait and queued as
 *                                       nvml_standin_inject_xid(GPU, XID) would
 *   NVML_STANDIN_MIG=0,2                MIG mode on for these GPU indexes (the H200 reads 0, off)
 */
#include <stdlib.h>
#include <unistd.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#ifndef NVML_STANDIN_GPUS
#define NVML_STANDIN_GPUS 1
#endif

typedef int nvmlReturn_t;
enum {
    NVML_SUCCESS = 0, NVML_ERROR_UNINITIALIZED = 1, NVML_ERROR_INVALID_ARGUMENT = 2,
    NVML_ERROR_NOT_SUPPORTED = 3, NVML_ERROR_INSUFFICIENT_SIZE = 7, NVML_ERROR_TIMEOUT = 10,
    NVML_ERROR_UNKNOWN = 999
};

/* ---- the H200 readings (nvml.json) ---------------------------------------------------------- */
#define H200_DRIVER "580.159.04"
#define H200_NAME "NVIDIA H200"
#define H200_UUID_PREFIX "GPU-af66da8b-55ce-2e96-62eb-3d4940d5f"  /* + 3 hex digits: "af4" for GPU 0 */
#define H200_MEM_TOTAL 150754820096ULL
#define H200_MEM_FREE 150109880320ULL
#define H200_MEM_USED_V1 644939776ULL      /* v1 "used" includes the driver's reservation */
#define H200_MEM_RESERVED 644939776ULL     /* v2: reserved 616 MiB, used 0 (nvidia-smi -q) */
#define H200_MEM_USED_V2 0ULL
#define H200_UTIL_GPU 0
#define H200_UTIL_MEM 0
#define H200_TEMP_GPU 38
#define H200_TEMP_MEM 38                   /* field 82 */
#define H200_POWER_MW 94853
#define H200_ENERGY_MJ 2291936ULL
#define H200_POWER_LIMIT_MW 700000
#define H200_CLOCK_SM 345
#define H200_CLOCK_MEM 3201
#define H200_EVENT_REASONS 0x1ULL          /* GPU idle */
#define H200_PCIE_GEN 5
#define H200_PCIE_WIDTH 16
#define H200_PCIE_MAX_GEN 5
#define H200_PCIE_MAX_WIDTH 16
#define H200_PCIE_REPLAY 1
#define H200_ECC 0ULL                      /* SBE/DBE, volatile and aggregate */
#define H200_RETIRED 0                     /* fields 74-76 */
#define H200_REMAPPED_ROWS 0               /* (0, 0, 0, 0) */

/* ---- call accounting ------------------------------------------------------------------------ */
enum {
    F_INIT, F_SHUTDOWN, F_DRIVER, F_COUNT, F_HANDLE, F_NAME, F_UUID, F_PCI, F_MAXGEN, F_MAXWIDTH,
    F_UTIL, F_MEM, F_MEM2, F_TEMP, F_FIELDS, F_POWER, F_ENERGY, F_ENFORCED, F_MGMT, F_CLOCK, F_GEN,
    F_WIDTH, F_REPLAY, F_ECC, F_RETIRED, F_PENDING, F_REMAP, F_REASONS, F_THROTTLE, F_THROUGHPUT,
    F_EVCREATE, F_EVREGISTER, F_EVWAIT, F_EVFREE, F_MIG, F_LAST
};
static const char *const function_names[F_LAST] = {
    "nvmlInit_v2", "nvmlShutdown", "nvmlSystemGetDriverVersion", "nvmlDeviceGetCount_v2",
    "nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetName", "nvmlDeviceGetUUID", "nvmlDeviceGetPciInfo_v3",
    "nvmlDeviceGetMaxPcieLinkGeneration", "nvmlDeviceGetMaxPcieLinkWidth", "nvmlDeviceGetUtilizationRates",
    "nvmlDeviceGetMemoryInfo", "nvmlDeviceGetMemoryInfo_v2", "nvmlDeviceGetTemperature", "nvmlDeviceGetFieldValues",
    "nvmlDeviceGetPowerUsage", "nvmlDeviceGetTotalEnergyConsumption", "nvmlDeviceGetEnforcedPowerLimit",
    "nvmlDeviceGetPowerManagementLimit", "nvmlDeviceGetClockInfo", "nvmlDeviceGetCurrPcieLinkGeneration",
    "nvmlDeviceGetCurrPcieLinkWidth", "nvmlDeviceGetPcieReplayCounter", "nvmlDeviceGetTotalEccErrors",
    "nvmlDeviceGetRetiredPages", "nvmlDeviceGetRetiredPagesPendingStatus", "nvmlDeviceGetRemappedRows",
    "nvmlDeviceGetCurrentClocksEventReasons", "nvmlDeviceGetCurrentClocksThrottleReasons",
    "nvmlDeviceGetPcieThroughput", "nvmlEventSetCreate", "nvmlDeviceRegisterEvents", "nvmlEventSetWait_v2",
    "nvmlEventSetFree", "nvmlDeviceGetMigMode",
};
static unsigned long long calls[F_LAST];

#ifdef NVML_STANDIN_COSTS
/* Median CPU µs per call on the H200 under load (nvml-cost-load.json); 0 = not measured there. */
static const double cost_us[F_LAST] = {
    [F_UTIL] = 1.9, [F_MEM] = 7.3, [F_MEM2] = 7.3, [F_TEMP] = 2.2, [F_FIELDS] = 34.8, [F_POWER] = 3.6,
    [F_ENERGY] = 3393.8, [F_ENFORCED] = 2.3, [F_MGMT] = 2.3, [F_CLOCK] = 2.6, [F_GEN] = 2.2, [F_WIDTH] = 31.8,
    [F_REPLAY] = 130.2, [F_ECC] = 3.3, [F_REMAP] = 3.4, [F_REASONS] = 2.3, [F_THROTTLE] = 2.3,
    [F_THROUGHPUT] = 690.3,
};
#endif

static void enter(int function) {
    __atomic_fetch_add(&calls[function], 1, __ATOMIC_RELAXED);
#ifdef NVML_STANDIN_COSTS
    /* Burn CPU (not wall time): the thread's own CPU clock, as the real getters spend it. */
    struct timespec start, now;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start);
    double spent;
    do {
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
        spent = (double)(now.tv_sec - start.tv_sec) * 1e6 + (double)(now.tv_nsec - start.tv_nsec) / 1e3;
    } while (spent < cost_us[function]);
#endif
}

unsigned long long nvml_standin_calls(const char *name) {
    for (int i = 0; i < F_LAST; i++) {
        if (strcmp(function_names[i], name) == 0) return __atomic_load_n(&calls[i], __ATOMIC_RELAXED);
    }
    return 0;
}

/* ---- devices -------------------------------------------------------------------------------- */
struct standin_device { unsigned int index; };
static struct standin_device devices[NVML_STANDIN_GPUS];
static int initialised;

typedef struct standin_device *nvmlDevice_t;

static int valid(nvmlDevice_t device) {
    return initialised && device >= &devices[0] && device < &devices[NVML_STANDIN_GPUS];
}

static void copy_text(char *out, unsigned int length, const char *text) {
    if (length == 0) return;
    snprintf(out, length, "%s", text);
}

nvmlReturn_t nvmlInit_v2(void) {
    enter(F_INIT);
    for (unsigned int i = 0; i < NVML_STANDIN_GPUS; i++) devices[i].index = i;
    initialised = 1;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlShutdown(void) {
    enter(F_SHUTDOWN);
    initialised = 0;
    return NVML_SUCCESS;
}

const char *nvmlErrorString(nvmlReturn_t result) {
    switch (result) {
    case NVML_SUCCESS: return "Success";
    case NVML_ERROR_UNINITIALIZED: return "Uninitialized";
    case NVML_ERROR_INVALID_ARGUMENT: return "Invalid Argument";
    case NVML_ERROR_NOT_SUPPORTED: return "Not Supported";
    case NVML_ERROR_INSUFFICIENT_SIZE: return "Insufficient Size";
    case NVML_ERROR_TIMEOUT: return "Timeout";
    default: return "Unknown Error";
    }
}

nvmlReturn_t nvmlSystemGetDriverVersion(char *version, unsigned int length) {
    enter(F_DRIVER);
    if (!initialised) return NVML_ERROR_UNINITIALIZED;
    copy_text(version, length, H200_DRIVER);
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count) {
    enter(F_COUNT);
    if (!initialised) return NVML_ERROR_UNINITIALIZED;
    *count = NVML_STANDIN_GPUS;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device) {
    enter(F_HANDLE);
    if (!initialised) return NVML_ERROR_UNINITIALIZED;
    if (index >= NVML_STANDIN_GPUS) return NVML_ERROR_INVALID_ARGUMENT;
    *device = &devices[index];
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length) {
    enter(F_NAME);
    if (!valid(device)) return NVML_ERROR_INVALID_ARGUMENT;
    copy_text(name, length, H200_NAME);
    return NVML_SUCCESS;
}

/* MIG mode: off on the H200 fixture (nvml.json "mig_mode": [0, 0]); NVML_STANDIN_MIG lists GPUs with it on. */
nvmlReturn_t nvmlDeviceGetMigMode(nvmlDevice_t device, unsigned int *current, unsigned int *pending) {
    enter(F_MIG);
    if (!valid(device) || !current || !pending) return NVML_ERROR_INVALID_ARGUMENT;
    unsigned int on = 0;
    const char *list = getenv("NVML_STANDIN_MIG");
    for (const char *p = list; p && *p; ) {
        char *end;
        long gpu = strtol(p, &end, 10);
        if (end == p) break;
        if (gpu == (long)device->index) on = 1;
        p = (*end == ',') ? end + 1 : end;
    }
    *current = on;
    *pending = on;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char *uuid, unsigned int length) {
    enter(F_UUID);
    if (!valid(device)) return NVML_ERROR_INVALID_ARGUMENT;
    char text[96];
    snprintf(text, sizeof text, "%s%03x", H200_UUID_PREFIX, 0xaf4 + device->index);
    copy_text(uuid, length, text);
    return NVML_SUCCESS;
}

typedef struct {
    char busIdLegacy[16];
    unsigned int domain, bus, device, pciDeviceId, pciSubSystemId;
    char busId[32];
} nvmlPciInfo_t;

nvmlReturn_t nvmlDeviceGetPciInfo_v3(nvmlDevice_t device, nvmlPciInfo_t *pci) {
    enter(F_PCI);
    if (!valid(device)) return NVML_ERROR_INVALID_ARGUMENT;
    memset(pci, 0, sizeof *pci);
    pci->domain = 0;
    pci->bus = 0;
    pci->device = 6 + device->index;
    pci->pciDeviceId = 590680286;
    pci->pciSubSystemId = 415174878;
    snprintf(pci->busIdLegacy, sizeof pci->busIdLegacy, "0000:00:%02x.0", pci->device);
    snprintf(pci->busId, sizeof pci->busId, "00000000:00:%02x.0", pci->device);
    return NVML_SUCCESS;
}

#define UINT_GETTER(symbol, slot, value)                                  \
    nvmlReturn_t symbol(nvmlDevice_t device, unsigned int *out) {         \
        enter(slot);                                                      \
        if (!valid(device) || !out) return NVML_ERROR_INVALID_ARGUMENT;   \
        *out = (value);                                                   \
        return NVML_SUCCESS;                                              \
    }

UINT_GETTER(nvmlDeviceGetMaxPcieLinkGeneration, F_MAXGEN, H200_PCIE_MAX_GEN)
UINT_GETTER(nvmlDeviceGetMaxPcieLinkWidth, F_MAXWIDTH, H200_PCIE_MAX_WIDTH)
UINT_GETTER(nvmlDeviceGetPowerUsage, F_POWER, H200_POWER_MW)
UINT_GETTER(nvmlDeviceGetEnforcedPowerLimit, F_ENFORCED, H200_POWER_LIMIT_MW)
UINT_GETTER(nvmlDeviceGetPowerManagementLimit, F_MGMT, H200_POWER_LIMIT_MW)
UINT_GETTER(nvmlDeviceGetCurrPcieLinkGeneration, F_GEN, H200_PCIE_GEN)
UINT_GETTER(nvmlDeviceGetCurrPcieLinkWidth, F_WIDTH, H200_PCIE_WIDTH)
UINT_GETTER(nvmlDeviceGetPcieReplayCounter, F_REPLAY, H200_PCIE_REPLAY)

typedef struct { unsigned int gpu, memory; } nvmlUtilization_t;

nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device, nvmlUtilization_t *utilization) {
    enter(F_UTIL);
    if (!valid(device)) return NVML_ERROR_INVALID_ARGUMENT;
    utilization->gpu = H200_UTIL_GPU;
    utilization->memory = H200_UTIL_MEM;
    return NVML_SUCCESS;
}

typedef struct { unsigned long long total, free, used; } nvmlMemory_t;
typedef struct { unsigned int version; unsigned long long total, reserved, free, used; } nvmlMemory_v2_t;

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t *memory) {
    enter(F_MEM);
    if (!valid(device)) return NVML_ERROR_INVALID_ARGUMENT;
    memory->total = H200_MEM_TOTAL;
    memory->free = H200_MEM_FREE;
    memory->used = H200_MEM_USED_V1;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t device, int sensor, unsigned int *temperature) {
    enter(F_TEMP);
    if (!valid(device) || sensor != 0) return NVML_ERROR_INVALID_ARGUMENT;
    *temperature = H200_TEMP_GPU;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t device, unsigned long long *energy) {
    enter(F_ENERGY);
    if (!valid(device)) return NVML_ERROR_INVALID_ARGUMENT;
    *energy = H200_ENERGY_MJ;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetClockInfo(nvmlDevice_t device, int type, unsigned int *clock) {
    enter(F_CLOCK);
    if (!valid(device)) return NVML_ERROR_INVALID_ARGUMENT;
    switch (type) {
    case 1: *clock = H200_CLOCK_SM; return NVML_SUCCESS;   /* NVML_CLOCK_SM */
    case 2: *clock = H200_CLOCK_MEM; return NVML_SUCCESS;  /* NVML_CLOCK_MEM */
    default: return NVML_ERROR_INVALID_ARGUMENT;
    }
}

nvmlReturn_t nvmlDeviceGetTotalEccErrors(nvmlDevice_t device, int errorType, int counterType, unsigned long long *count) {
    enter(F_ECC);
    if (!valid(device) || errorType < 0 || errorType > 1 || counterType < 0 || counterType > 1) return NVML_ERROR_INVALID_ARGUMENT;
    *count = H200_ECC;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetRetiredPages(nvmlDevice_t device, int cause, unsigned int *pageCount, unsigned long long *addresses) {
    enter(F_RETIRED);
    (void)addresses;
    if (!valid(device) || cause < 0 || cause > 1 || !pageCount) return NVML_ERROR_INVALID_ARGUMENT;
    *pageCount = H200_RETIRED;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetRetiredPagesPendingStatus(nvmlDevice_t device, int *pending) {
    enter(F_PENDING);
    if (!valid(device)) return NVML_ERROR_INVALID_ARGUMENT;
    *pending = H200_RETIRED;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetRemappedRows(nvmlDevice_t device, unsigned int *corrected, unsigned int *uncorrected,
                                       unsigned int *pending, unsigned int *failure) {
    enter(F_REMAP);
    if (!valid(device)) return NVML_ERROR_INVALID_ARGUMENT;
    *corrected = H200_REMAPPED_ROWS;
    *uncorrected = H200_REMAPPED_ROWS;
    *pending = H200_REMAPPED_ROWS;
    *failure = H200_REMAPPED_ROWS;
    return NVML_SUCCESS;
}

/* Blocks 20 ms on the real card (it samples over a window). The agent must never call it on a
 * scrape's path; it is here so a test can prove the agent does not call it at all. */
nvmlReturn_t nvmlDeviceGetPcieThroughput(nvmlDevice_t device, int counter, unsigned int *value) {
    enter(F_THROUGHPUT);
    (void)counter;
    if (!valid(device)) return NVML_ERROR_INVALID_ARGUMENT;
    struct timespec pause = {0, 20 * 1000 * 1000};
    nanosleep(&pause, NULL);
    *value = 0;
    return NVML_SUCCESS;
}

#ifndef NVML_STANDIN_PARTIAL
nvmlReturn_t nvmlDeviceGetMemoryInfo_v2(nvmlDevice_t device, nvmlMemory_v2_t *memory) {
    enter(F_MEM2);
    if (!valid(device)) return NVML_ERROR_INVALID_ARGUMENT;
    if (memory->version != ((unsigned int)sizeof(nvmlMemory_v2_t) | (2u << 24))) return NVML_ERROR_INVALID_ARGUMENT;
    memory->total = H200_MEM_TOTAL;
    memory->reserved = H200_MEM_RESERVED;
    memory->free = H200_MEM_FREE;
    memory->used = H200_MEM_USED_V2;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetCurrentClocksEventReasons(nvmlDevice_t device, unsigned long long *reasons) {
    enter(F_REASONS);
    if (!valid(device)) return NVML_ERROR_INVALID_ARGUMENT;
    *reasons = H200_EVENT_REASONS;
    return NVML_SUCCESS;
}

typedef union { double d; unsigned int ui; unsigned long ul; unsigned long long ull; long long sll; int si; } nvmlValue_t;
typedef struct {
    unsigned int fieldId, scopeId;
    long long timestamp, latencyUsec;
    int valueType;
    nvmlReturn_t nvmlReturn;
    nvmlValue_t value;
} nvmlFieldValue_t;

nvmlReturn_t nvmlDeviceGetFieldValues(nvmlDevice_t device, int count, nvmlFieldValue_t *values) {
    enter(F_FIELDS);
    if (!valid(device) || count < 0) return NVML_ERROR_INVALID_ARGUMENT;
    for (int i = 0; i < count; i++) {
        nvmlFieldValue_t *field = &values[i];
        field->timestamp = (long long)time(NULL) * 1000000;
        field->latencyUsec = 0;
        switch (field->fieldId) {
        case 82: /* NVML_FI_DEV_MEMORY_TEMP */
            field->valueType = 1; /* unsigned int */
            field->value.ui = H200_TEMP_MEM;
            field->nvmlReturn = NVML_SUCCESS;
            break;
        default:
            field->nvmlReturn = NVML_ERROR_NOT_SUPPORTED;
        }
    }
    return NVML_SUCCESS;
}
#endif

/* ---- XID events ----------------------------------------------------------------------------- */
typedef struct {
    nvmlDevice_t device;
    unsigned long long eventType, eventData;
    unsigned int gpuInstanceId, computeInstanceId;
} nvmlEventData_t;

#define QUEUE 64
struct standin_event_set {
    unsigned long long registered[NVML_STANDIN_GPUS];
    int in_use;
};
static struct standin_event_set event_set;
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queue_ready = PTHREAD_COND_INITIALIZER;
static nvmlEventData_t queue[QUEUE];
static int queue_head, queue_count;

typedef struct standin_event_set *nvmlEventSet_t;

nvmlReturn_t nvmlEventSetCreate(nvmlEventSet_t *set) {
    enter(F_EVCREATE);
    if (!initialised) return NVML_ERROR_UNINITIALIZED;
    memset(&event_set, 0, sizeof event_set);
    event_set.in_use = 1;
    *set = &event_set;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceRegisterEvents(nvmlDevice_t device, unsigned long long types, nvmlEventSet_t set) {
    enter(F_EVREGISTER);
    if (!valid(device) || set != &event_set) return NVML_ERROR_INVALID_ARGUMENT;
    if (types & ~0x8ULL) return NVML_ERROR_NOT_SUPPORTED; /* only XID critical errors here */
    pthread_mutex_lock(&queue_lock);
    set->registered[device->index] |= types;
    pthread_mutex_unlock(&queue_lock);
    return NVML_SUCCESS;
}

void nvml_standin_inject_xid(unsigned int gpu, unsigned long long xid) {
    if (gpu >= NVML_STANDIN_GPUS) return;
    pthread_mutex_lock(&queue_lock);
    if ((event_set.registered[gpu] & 0x8ULL) && queue_count < QUEUE) {
        nvmlEventData_t *slot = &queue[(queue_head + queue_count) % QUEUE];
        slot->device = &devices[gpu];
        slot->eventType = 0x8ULL;
        slot->eventData = xid;
        slot->gpuInstanceId = 0xFFFFFFFFu;
        slot->computeInstanceId = 0xFFFFFFFFu;
        queue_count++;
        pthread_cond_broadcast(&queue_ready);
    }
    pthread_mutex_unlock(&queue_lock);
}

/* NVML_STANDIN_XID_FILE: an XID scripted by a test that runs the agent as a child process. */
static void standin_poll_xid_file(void) {
    const char *path = getenv("NVML_STANDIN_XID_FILE");
    if (!path || !*path) return;
    FILE *file = fopen(path, "r");
    if (!file) return;
    unsigned int gpu = 0;
    unsigned long long xid = 0;
    int parsed = fscanf(file, "%u %llu", &gpu, &xid);
    fclose(file);
    unlink(path);
    if (parsed == 2) nvml_standin_inject_xid(gpu, xid);
}

nvmlReturn_t nvmlEventSetWait_v2(nvmlEventSet_t set, nvmlEventData_t *data, unsigned int timeoutms) {
    enter(F_EVWAIT);
    if (set != &event_set) return NVML_ERROR_INVALID_ARGUMENT;
    standin_poll_xid_file();
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += timeoutms / 1000;
    deadline.tv_nsec += (long)(timeoutms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec += 1;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&queue_lock);
    while (queue_count == 0) {
        if (pthread_cond_timedwait(&queue_ready, &queue_lock, &deadline) != 0) break;
    }
    nvmlReturn_t result = NVML_ERROR_TIMEOUT;
    if (queue_count > 0) {
        *data = queue[queue_head];
        queue_head = (queue_head + 1) % QUEUE;
        queue_count--;
        result = NVML_SUCCESS;
    }
    pthread_mutex_unlock(&queue_lock);
    return result;
}

nvmlReturn_t nvmlEventSetFree(nvmlEventSet_t set) {
    enter(F_EVFREE);
    if (set != &event_set) return NVML_ERROR_INVALID_ARGUMENT;
    event_set.in_use = 0;
    return NVML_SUCCESS;
}
